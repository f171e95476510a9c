"""Writes for engagement in an initiative: participation, events and attendance,
commitments and their feedback survey, stories and the consent of those featured.

What happens to a person is also written into their timeline in the registry
(`stakeholders.services.interaction_record`), with a key so that it is written once.
"""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from backbone.models import User
from backbone.tasks import enqueue
from stakeholders.models import ConsentSource, Contact, InteractionKind, Partner
from stakeholders.services import (
    consent_record,
    contact_create,
    contact_with_email,
    interaction_record,
)

from .models import (
    Attendance,
    Commitment,
    EngagementEvent,
    EngagementLevel,
    FeedbackSurvey,
    Initiative,
    LevelChange,
    ParticipantRole,
    Participation,
    ParticipationRole,
    Story,
    StoryFeature,
)

# Shown next to the checkbox when a walk-in signs up, and stored with their consent.
WALK_IN_CONSENT_WORDING = gettext_lazy(
    "Yes, send me news about this initiative by e-mail. I can unsubscribe at any time."
)
SURVEY_VALID_FOR = timedelta(days=60)


def _url(name: str, organization_slug: str, **kwargs) -> str:
    return reverse(f"initiatives:{name}", kwargs={"org_slug": organization_slug, **kwargs})


def _same_org(initiative: Initiative, *objects, field: str) -> None:
    for obj in objects:
        if obj is not None and obj.organization_id != initiative.organization_id:
            raise ValidationError({field: _("Choose someone of this organization.")})


# Participation ---------------------------------------------------------------


def _set_roles(participation: Participation, roles: list[str]) -> None:
    unknown = set(roles) - set(ParticipantRole.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(r)s") % {"r": ", ".join(unknown)}})
    ParticipationRole.objects.filter(participation=participation).exclude(role__in=roles).delete()
    have = set(
        ParticipationRole.objects.filter(participation=participation).values_list("role", flat=True)
    )
    ParticipationRole.objects.bulk_create(
        ParticipationRole(
            organization_id=participation.organization_id, participation=participation, role=role
        )
        for role in sorted(set(roles) - have)
    )


def _set_level(participation: Participation, level: str, by: User | None) -> None:
    if level not in EngagementLevel.values:
        raise ValidationError({"level": _("Choose a level of engagement.")})
    previous = (
        LevelChange.objects.filter(participation=participation).values_list("to_level", flat=True)
    ).first()
    if previous == level:
        return
    LevelChange.objects.create(
        organization_id=participation.organization_id,
        participation=participation,
        from_level=previous or "",
        to_level=level,
        by=by,
    )
    if participation.level != level:
        participation.level = level
        participation.save(update_fields=["level"])


@transaction.atomic
def participation_add(
    *,
    initiative: Initiative,
    contact: Contact,
    roles: list[str],
    level: str = EngagementLevel.INFORM,
    notes: str = "",
    by: User | None = None,
) -> Participation:
    """Add a person to the initiative (or update them if they already take part)."""
    _same_org(initiative, contact, field="contact")
    participation, created = Participation.objects.get_or_create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        contact=contact,
        defaults={"level": level, "notes": notes},
    )
    if not created and notes:
        participation.notes = notes
        participation.save(update_fields=["notes"])
    _set_roles(participation, roles)
    _set_level(participation, level, by)
    return participation


@transaction.atomic
def participation_update(
    *,
    participation: Participation,
    roles: list[str],
    level: str,
    notes: str = "",
    by: User | None = None,
) -> Participation:
    participation.notes = notes
    participation.save(update_fields=["notes"])
    _set_roles(participation, roles)
    _set_level(participation, level, by)
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation) -> None:
    participation.delete()


# Events and attendance -------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    initiative: Initiative,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    notes: str = "",
) -> EngagementEvent:
    event = EngagementEvent(
        organization_id=initiative.organization_id,
        initiative=initiative,
        kind=kind,
        title=title,
        starts_at=starts_at,
        place=place,
        notes=notes,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def event_update(*, event: EngagementEvent, **fields) -> EngagementEvent:
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def event_remove(*, event: EngagementEvent) -> None:
    event.delete()


@transaction.atomic
def attendance_record(
    *, event: EngagementEvent, contact: Contact, walk_in: bool = False, by: User | None = None
) -> Attendance:
    """Record that `contact` came to `event`, and write it into their timeline (once)."""
    if contact.organization_id != event.organization_id:
        raise ValidationError({"contact": _("Choose someone of this organization.")})
    attendance, _created = Attendance.objects.get_or_create(
        organization_id=event.organization_id,
        event=event,
        contact=contact,
        defaults={"walk_in": walk_in},
    )
    interaction_record(
        contact=contact,
        kind=InteractionKind.EVENT,
        summary=_("Attended “%(event)s” (%(kind)s)")
        % {"event": event.title, "kind": event.get_kind_display()},
        occurred_at=event.starts_at,
        url=_url("event", event.organization.slug, event_id=event.pk),
        created_by=by,
        key=f"event:{event.pk}:attended",
    )
    return attendance


@transaction.atomic
def walk_in_record(
    *,
    event: EngagementEvent,
    first_name: str,
    last_name: str = "",
    email: str = "",
    sector: str,
    lived_experience: bool = False,
    consent: bool = False,
    by: User | None = None,
) -> Attendance:
    """Someone who came without being in the registry: add them, then their attendance.

    A walk-in whose e-mail is already in the registry is that contact (nobody is entered
    twice). Ticking the consent box records consent with the wording shown at the event.
    """
    if consent and not email.strip():
        raise ValidationError({"email": _("Add an e-mail address to send them news.")})
    contact = contact_with_email(event.organization, email)
    if contact is None:
        contact = contact_create(
            organization=event.organization,
            first_name=first_name,
            last_name=last_name,
            email=email,
            sector=sector,
            lived_experience=lived_experience,
        )
    if consent:
        consent_record(
            contact=contact,
            given=True,
            source=ConsentSource.EVENT,
            wording=str(WALK_IN_CONSENT_WORDING),
            recorded_by=by,
        )
    return attendance_record(event=event, contact=contact, walk_in=True, by=by)


@transaction.atomic
def attendance_remove(*, attendance: Attendance) -> None:
    """Undo an attendance recorded by mistake (the timeline entry goes with it)."""
    contact = attendance.contact
    contact.interactions.filter(key=f"event:{attendance.event_id}:attended").delete()
    attendance.delete()


# Commitments and the partner feedback survey ---------------------------------


def _check_signer(partner: Partner, signed_by: Contact) -> None:
    if signed_by.partner_id != partner.pk:
        raise ValidationError(
            {"signed_by": _("The person who signs must work at %(p)s.") % {"p": partner}}
        )


def _write_signature(commitment: Commitment, by: User | None) -> None:
    interaction_record(
        contact=commitment.signed_by,
        kind=InteractionKind.COMMITMENT,
        summary=_("Signed %(partner)s's commitment to “%(initiative)s”")
        % {"partner": commitment.partner, "initiative": commitment.initiative},
        occurred_at=timezone.make_aware(
            datetime.datetime.combine(commitment.signed_on, datetime.time(12))
        ),
        url=_url(
            "commitments",
            commitment.organization.slug,
            initiative_id=commitment.initiative_id,
        ),
        created_by=by,
        key=f"commitment:{commitment.pk}:signed",
    )


@transaction.atomic
def commitment_create(
    *,
    initiative: Initiative,
    partner: Partner,
    signed_by: Contact,
    signed_on: datetime.date,
    role: str,
    money: Decimal | None = None,
    staff_hours: Decimal | None = None,
    in_kind: str = "",
    renewal_on: datetime.date | None = None,
    by: User | None = None,
) -> Commitment:
    _same_org(initiative, partner, signed_by, field="partner")
    _check_signer(partner, signed_by)
    if renewal_on and renewal_on < signed_on:
        raise ValidationError({"renewal_on": _("The renewal can't be before the signature.")})
    commitment = Commitment(
        organization_id=initiative.organization_id,
        initiative=initiative,
        partner=partner,
        role=role,
        money=money,
        staff_hours=staff_hours,
        in_kind=in_kind,
        signed_on=signed_on,
        signed_by=signed_by,
        renewal_on=renewal_on,
    )
    commitment.full_clean()
    commitment.save()
    _write_signature(commitment, by)
    return commitment


@transaction.atomic
def commitment_remove(*, commitment: Commitment) -> None:
    commitment.delete()


@transaction.atomic
def survey_send(*, commitment: Commitment, by: User | None = None) -> FeedbackSurvey:
    """Create the yearly feedback survey of a commitment and e-mail its link to the signer.

    A survey invitation is transactional (it is about the commitment they signed), so it
    needs an address, not newsletter consent.
    """
    signer = commitment.signed_by
    if not signer.email:
        raise ValidationError(
            _("%(name)s has no e-mail address: add one in the registry first.") % {"name": signer}
        )
    survey = FeedbackSurvey.objects.create(
        organization_id=commitment.organization_id,
        commitment=commitment,
        sent_to=signer,
        sent_by=by,
        expires_at=timezone.now() + SURVEY_VALID_FOR,
    )
    from .tasks import send_feedback_survey

    enqueue(
        send_feedback_survey,
        organization_id=commitment.organization_id,
        survey_id=survey.pk,
    )
    return survey


class SurveyLinkInvalid(Exception):
    """The survey link can't be used; the message says why, in words for the person."""


def survey_for_token(token: str) -> FeedbackSurvey:
    """The survey behind a public link, or SurveyLinkInvalid (unknown, used or expired)."""
    with scopes_disabled():
        survey = (
            FeedbackSurvey.objects.filter(token=token)
            .select_related(
                "organization", "commitment__partner", "commitment__initiative", "sent_to"
            )
            .first()
        )
    if survey is None:
        raise SurveyLinkInvalid(
            _("This survey link is not valid. Please use the link from your e-mail as it is.")
        )
    if survey.is_answered:
        raise SurveyLinkInvalid(_("This survey has already been answered. Thank you!"))
    if survey.is_expired:
        raise SurveyLinkInvalid(
            _("This survey link has expired. Ask the backbone team for a new one.")
        )
    return survey


SURVEY_FIELDS = [
    "activities",
    "collaboration_increased",
    "collaboration_examples",
    "resources_committed",
    "work_differently",
    "suggestions",
]


@transaction.atomic
def survey_answer(*, survey: FeedbackSurvey, answers: dict) -> FeedbackSurvey:
    """Store the answers; a link works once (a second submission is refused)."""
    with scopes_disabled():
        locked = FeedbackSurvey.objects.select_for_update().get(pk=survey.pk)
        if locked.is_answered:
            raise SurveyLinkInvalid(_("This survey has already been answered. Thank you!"))
        if locked.is_expired:
            raise SurveyLinkInvalid(
                _("This survey link has expired. Ask the backbone team for a new one.")
            )
        for name in SURVEY_FIELDS:
            setattr(locked, name, answers.get(name, ""))
        locked.answered_at = timezone.now()
        locked.save()
    return locked


# Stories ---------------------------------------------------------------------


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
    *, story: Story, title: str, text: str, featured: list[Contact], photo=None
) -> Story:
    story.title = title
    story.text = text
    if photo:
        story.photo = photo
    story.full_clean()
    story.save()
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
            url=_url("stories", story.organization.slug, initiative_id=story.initiative_id),
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
