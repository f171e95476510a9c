"""Stories of change, and the consent of the people featured in them."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Contact

from .initiative import InInitiative, Initiative


def story_photo_path(story: "Story", filename: str) -> str:
    return f"stories/{story.organization_id}/{secrets.token_hex(8)}-{filename[-80:]}"


# What a story's edit form changes, fingerprinted to refuse a stale save (backbone.stale).
STORY_EDITED = ("title", "text")


class Story(InInitiative, TenantModel):
    """A short story of change; published only when everyone featured consented."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("story"), help_text=_("Markdown: **bold**, *italic*, lists, links."))
    photo = models.ImageField(_("photo"), upload_to=story_photo_path, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title


class StoryFeature(TenantModel):
    """A person featured in a story, and whether they agreed to it being told."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="features")
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="story_features", verbose_name=_("person")
    )
    consent_given = models.BooleanField(_("agreed to be featured"), default=False)
    consent_on = models.DateField(_("agreed on"), null=True, blank=True)

    class Meta:
        ordering = ["contact__last_name", "contact__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["story", "contact"], name="featured_once_per_story")
        ]

    def __str__(self) -> str:
        return f"{self.contact} in {self.story}"

    @property
    def read_only_reason(self) -> str:
        return self.story.read_only_reason
