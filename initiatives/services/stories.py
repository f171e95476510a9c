"""Writes on stories of change and the consent of the people featured in them; a story
is published only when everyone featured agreed, and goes into their timelines."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.links import org_url
from backbone.models import User
from backbone.stale import note_editor, require_unchanged
from stakeholders.models import Contact, InteractionKind
from stakeholders.services import interaction_record

from ..models import STORY_EDITED, Initiative, Story, StoryFeature


def _set_featured(story: Story, contacts: list[Contact]) -> None:
    for contact in contacts:
        if contact.organization_id != story.organization_id:
            raise ValidationError({"featured": _("Choose people of this organization.")})
    keep = {c.pk for c in contacts}
    StoryFeature.objects.filter(story=story).exclude(contact_id__in=keep).delete()
    have = set(StoryFeature.objects.filter(story=story).values_list("contact_id", flat=True))
    StoryFeature.objects.bulk_create(
        StoryFeature(organization_id=story.organization_id, story=story, contact_id=pk)
        for pk in sorted(keep - have)
    )


@transaction.atomic
def story_create(
    *,
    initiative: Initiative,
    title: str,
    text: str,
    featured: list[Contact] = (),
    photo=None,
) -> Story:
    story = Story(
        organization_id=initiative.organization_id, initiative=initiative, title=title, text=text
    )
    if photo:
        story.photo = photo
    story.full_clean()
    story.save()
    _set_featured(story, list(featured))
    return story


@transaction.atomic
def story_update(
    *,
    story: Story,
    title: str,
    text: str,
    featured: list[Contact],
    photo=None,
    seen: str | None = None,
    by=None,
) -> Story:
    """Save a story; a form's `seen` fingerprint refuses a save over a change made
    meanwhile (see `backbone.stale`)."""
    require_unchanged(story, STORY_EDITED, seen)
    story.title = title
    story.text = text
    if photo:
        story.photo = photo
    story.full_clean()
    story.save()
    note_editor(story, STORY_EDITED, by)
    _set_featured(story, list(featured))
    if story.published and not _everyone_consented(story):
        # Someone new is featured who hasn't agreed yet: take it down until they do.
        _unpublish(story)
    return story


def _everyone_consented(story: Story) -> bool:
    return not StoryFeature.objects.filter(story=story, consent_given=False).exists()


def _unpublish(story: Story) -> None:
    story.published = False
    story.published_at = None
    story.save(update_fields=["published", "published_at"])


@transaction.atomic
def story_consent_set(
    *, feature: StoryFeature, given: bool, on: datetime.date | None = None
) -> StoryFeature:
    """Record whether a featured person agreed; withdrawing takes a published story down."""
    feature.consent_given = given
    feature.consent_on = (on or timezone.localdate()) if given else None
    feature.save(update_fields=["consent_given", "consent_on"])
    if not given and feature.story.published:
        _unpublish(feature.story)
    return feature


@transaction.atomic
def story_publish(*, story: Story, by: User | None = None) -> Story:
    """Publish a story. Refused while anyone featured has not agreed to it."""
    missing = [
        str(f.contact)
        for f in StoryFeature.objects.filter(story=story, consent_given=False).select_related(
            "contact"
        )
    ]
    if missing:
        raise ValidationError(
            _(
                "Everyone featured must agree before the story is published. Still waiting for: %(names)s."
            )
            % {"names": ", ".join(missing)}
        )
    if not story.published:
        story.published = True
        story.published_at = timezone.now()
        story.save(update_fields=["published", "published_at"])
    for feature in StoryFeature.objects.filter(story=story).select_related("contact"):
        interaction_record(
            contact=feature.contact,
            kind=InteractionKind.STORY,
            summary=_("Featured in the story “%(title)s”") % {"title": story.title},
            url=org_url(
                story.organization, "initiatives:stories", initiative_id=story.initiative_id
            ),
            created_by=by,
            key=f"story:{story.pk}:featured",
        )
    return story


@transaction.atomic
def story_unpublish(*, story: Story) -> Story:
    _unpublish(story)
    return story


@transaction.atomic
def story_remove(*, story: Story) -> None:
    if story.photo:
        story.photo.delete(save=False)
    story.delete()
