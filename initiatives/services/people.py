"""Writes on who takes part in an initiative: partner organizations in a role, and people
with their roles and engagement level (each change of level is kept).

What happens to a person is also written into their timeline in the registry
(`stakeholders.services.interaction_record`), with a key so that it is written once.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backbone.models import User
from backbone.stale import note_editor, require_unchanged
from stakeholders.models import Contact

from ..models import (
    PARTICIPATION_EDITED,
    EngagementLevel,
    Initiative,
    InitiativePartner,
    LevelChange,
    ParticipantRole,
    Participation,
    ParticipationRole,
)
from .initiative import check_same_organization


@transaction.atomic
def initiative_partner_add(
    *,
    initiative: Initiative,
    partner,
    role: str,
    joined_on: datetime.date | None = None,
    listed_publicly: bool = False,
) -> InitiativePartner:
    link, _created = InitiativePartner.objects.get_or_create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        partner=partner,
        role=role,
        defaults={"joined_on": joined_on, "listed_publicly": listed_publicly},
    )
    return link


@transaction.atomic
def initiative_partner_listing(*, link: InitiativePartner, listed: bool) -> InitiativePartner:
    """Record whether the partner chose to be named on the initiative's public scorecard."""
    link.listed_publicly = listed
    link.save(update_fields=["listed_publicly"])
    return link


@transaction.atomic
def initiative_partner_remove(*, link: InitiativePartner) -> None:
    link.delete()


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
    contact = participation.contact
    LevelChange.objects.create(
        organization_id=participation.organization_id,
        initiative_id=participation.initiative_id,
        participation=participation,
        contact=contact,
        name=contact.full_name,
        from_level=previous or "",
        to_level=level,
        by=by,
    )
    if participation.level != level:
        participation.level = level
        participation.save(update_fields=["level"])


def _set_participation(
    participation: Participation,
    *,
    notes: str | None,
    roles: list[str],
    level: str,
    by: User | None,
) -> Participation:
    """Write a participation's notes (unless None), roles and engagement level."""
    if notes is not None:
        participation.notes = notes
        participation.save(update_fields=["notes"])
    _set_roles(participation, roles)
    _set_level(participation, level, by)
    return participation


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
    check_same_organization(initiative, contact, field="contact")
    participation, created = Participation.objects.get_or_create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        contact=contact,
        defaults={"level": level, "notes": notes},
    )
    if created:  # joining again: their engagement history so far is theirs again
        LevelChange.objects.filter(
            initiative=initiative, contact=contact, participation__isnull=True
        ).update(participation=participation)
    new_notes = notes if notes and not created else None
    return _set_participation(participation, notes=new_notes, roles=roles, level=level, by=by)


@transaction.atomic
def participation_update(
    *,
    participation: Participation,
    roles: list[str],
    level: str,
    notes: str = "",
    by: User | None = None,
    seen: str | None = None,
) -> Participation:
    """Save a person's roles, level and notes; a form's `seen` fingerprint refuses a save
    over a change made meanwhile (see `backbone.stale`)."""
    require_unchanged(participation, PARTICIPATION_EDITED, seen)
    _set_participation(participation, notes=notes, roles=roles, level=level, by=by)
    note_editor(participation, PARTICIPATION_EDITED, by)
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation) -> None:
    participation.delete()
