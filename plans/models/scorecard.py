"""The public community scorecard of an initiative: opted into by staff, revocable.

Its address (/s/<slug>/) stays the same through unpublishing and publishing again; while
unpublished it answers 404. `version` keys the cached page: anything the page shows that
changes bumps it (`plans.signals`), so the cache never serves what is no longer true."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from initiatives.models import InInitiative, Initiative


class Scorecard(InInitiative, TenantModel):
    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="scorecard"
    )
    slug = models.SlugField(max_length=80, unique=True)
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(
        _("the common agenda in brief"),
        blank=True,
        help_text=_(
            "What the initiative wants to change and how, in a few sentences, for the public. "
            "Markdown: **bold**, *italic*, lists, links."
        ),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public scorecard")
        verbose_name_plural = _("public scorecards")

    def __str__(self) -> str:
        return f"{self.initiative} · scorecard"
