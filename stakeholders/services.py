"""Writes of the registry: partners, contacts, tags, consent, the interaction log, merges,
and the link between a partner user and their Partner.

Higher apps (initiatives, plans) write a contact's timeline through
`interaction_record` and read who may be e-mailed through
`selectors.contacts_reachable_by_email`; they never touch these rows directly.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from backbone.models import Membership, Organization, Role, User
from backbone.services import IssuedInvitation, invitation_create
from backbone.signals import invitation_accepted
from backbone.stale import note_editor, require_unchanged
from backbone.stamped_cache import bump_every

from .models import (
    CAPACITY_DIMENSIONS,
    CapacityAssessment,
    ConsentRecord,
    ConsentSource,
    ConsentStatus,
    Contact,
    Interaction,
    InteractionKind,
    Partner,
    PartnerMembership,
    Tag,
)

# Sent inside the merge's transaction after every relation pointing at `absorbed`
# was moved to `kept`, just before `absorbed` is deleted. Receivers get
# kept=Contact, absorbed=Contact.
contact_merged = Signal()

CONSENT_WORDING = gettext_lazy(
    "Yes, send me e-mail updates about this work (newsletters, events, results). "
    "I can unsubscribe at any time."
)


# Tags ------------------------------------------------------------------------


def tag_names_parse(text: str) -> list[str]:
    """ "early years, speaker; newcomer" → ["early years", "speaker", "newcomer"] (no duplicates)."""
    seen: dict[str, str] = {}
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split())[:60]
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def tags_get_or_create(*, organization: Organization, names: Iterable[str]) -> list[Tag]:
    names = list(names)
    if not names:
        return []
    wanted = {n.lower() for n in names}
    existing = {
        tag.name.lower(): tag
        for tag in Tag.objects.filter(organization=organization)
        if tag.name.lower() in wanted
    }
    tags = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = Tag.objects.create(organization=organization, name=name)
            existing[name.lower()] = tag
        tags.append(tag)
    return tags


@transaction.atomic
def tag_rename(*, tag: Tag, name: str) -> Tag:
    name = " ".join(name.split())[:60]
    if not name:
        raise ValidationError({"name": _("A tag needs a name.")})
    clash = Tag.objects.filter(organization_id=tag.organization_id, name__iexact=name).exclude(
        pk=tag.pk
    )
    if clash.exists():
        raise ValidationError(
            {"name": _("There is already a tag called “%(name)s”.") % {"name": name}}
        )
    tag.name = name
    tag.save(update_fields=["name"])
    return tag


def tag_delete(*, tag: Tag) -> None:
    """Remove the tag from every contact; the contacts stay."""
    tag.delete()


# Partners --------------------------------------------------------------------


def _check_partner_name(partner: Partner) -> None:
    clash = Partner.objects.filter(
        organization_id=partner.organization_id, name__iexact=partner.name.strip()
    ).exclude(pk=partner.pk)
    if clash.exists():
        raise ValidationError({"name": _("A partner with this name is already in the registry.")})


@transaction.atomic
def partner_create(*, organization: Organization, **fields) -> Partner:
    return partner_update(partner=Partner(organization=organization), **fields)


@transaction.atomic
def partner_update(*, partner: Partner, seen: str | None = None, by=None, **fields) -> Partner:
    """Save a partner's fields; a form's `seen` fingerprint refuses a save over a change
    made meanwhile (see `backbone.stale`)."""
    require_unchanged(partner, fields, seen)
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.name = partner.name.strip()
    _check_partner_name(partner)
    partner.full_clean()
    partner.save()
    note_editor(partner, fields, by)
    return partner


@transaction.atomic
def partner_user_link(*, partner: Partner, membership: Membership) -> PartnerMembership:
    """Make `membership` (role partner, same organization) report for `partner`.

    A partner user reports for one Partner; linking them elsewhere moves the link.
    """
    if membership.organization_id != partner.organization_id:
        raise ValidationError({"membership": _("This person is not a member here.")})
    if membership.role != Role.PARTNER:
        raise ValidationError(
            {"membership": _("Only members with the role Partner can report for a partner.")}
        )
    link, _created = PartnerMembership.objects.update_or_create(
        membership=membership,
        defaults={"partner": partner, "organization_id": partner.organization_id},
    )
    return link


def partner_user_invite(
    *,
    partner: Partner,
    email: str,
    name: str,
    invited_by,
    site: str | None = None,
    language: str = "",
) -> IssuedInvitation:
    """Invite someone to report for `partner`: accepting links them to it (see
    `link_invited_partner_user`)."""
    return invitation_create(
        organization=partner.organization,
        email=email,
        role=Role.PARTNER,
        invited_by=invited_by,
        name=name,
        partner_id=partner.pk,
        partner_name=partner.name,
        site=site,
        language=language,
    )


@receiver(invitation_accepted)
def link_invited_partner_user(sender, *, invitation, membership, **kwargs) -> None:
    """The invitation named a partner: the new partner user reports for it."""
    if invitation.partner_id is None or membership.role != Role.PARTNER:
        return
    with scope(organization=invitation.organization):
        partner = Partner.objects.filter(
            organization=invitation.organization, pk=invitation.partner_id
        ).first()
        if partner is not None:
            partner_user_link(partner=partner, membership=membership)


@transaction.atomic
def partner_user_unlink(*, partner: Partner, membership: Membership) -> None:
    PartnerMembership.objects.filter(
        organization_id=partner.organization_id, partner=partner, membership=membership
    ).delete()


# Contacts --------------------------------------------------------------------


def contact_with_email(organization: Organization, email: str, *, exclude: int | None = None):
    """The contact that already uses `email` in this organization, if any."""
    if not email:
        return None
    queryset = Contact.objects.filter(organization=organization, email__iexact=email.strip())
    if exclude:
        queryset = queryset.exclude(pk=exclude)
    return queryset.first()


def _save_contact(contact: Contact, tags: list[str] | None) -> Contact:
    contact.email = contact.email.strip().lower()
    if contact.partner_id and contact.partner.organization_id != contact.organization_id:
        raise ValidationError({"partner": _("Choose a partner of this organization.")})
    if contact_with_email(contact.organization, contact.email, exclude=contact.pk):
        raise ValidationError({"email": _("Another contact already uses this e-mail address.")})
    contact.full_clean(exclude=["tags"])
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        # Someone saved the same address between our check and this save.
        raise ValidationError(
            {"email": _("Another contact already uses this e-mail address.")}
        ) from None
    if tags is not None:
        contact.tags.set(tags_get_or_create(organization=contact.organization, names=tags))
    return contact


@transaction.atomic
def contact_create(
    *, organization: Organization, tags: list[str] | None = None, **fields
) -> Contact:
    return _save_contact(Contact(organization=organization, **fields), tags)


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    tags: list[str] | None = None,
    seen: str | None = None,
    by=None,
    **fields,
) -> Contact:
    """Save a contact's fields and tags; a form's `seen` fingerprint refuses a save over a
    change made meanwhile (see `backbone.stale`)."""
    require_unchanged(contact, fields, seen)
    for name, value in fields.items():
        setattr(contact, name, value)
    _save_contact(contact, tags)
    note_editor(contact, fields, by)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Erase a person from the registry with their timeline and consent history.

    Raises ProtectedError if another app keeps a protected reference (e.g. a
    signed commitment); the caller says so instead of half-deleting.
    """
    contact.delete()


# The interaction log ---------------------------------------------------------


def interaction_record(
    *,
    contact: Contact,
    kind: str,
    summary: str,
    occurred_at: datetime | None = None,
    url: str = "",
    created_by: User | None = None,
    key: str = "",
) -> Interaction:
    """Write one entry into a contact's timeline. Higher apps call this.

    Pass a `key` naming what happened ("newsletter:42", "event:7:attended") to
    make the call idempotent: a second call with the same key for the same
    contact returns the first entry and writes nothing.
    """
    if kind not in InteractionKind.values:
        raise ValueError(f"Unknown interaction kind {kind!r}")
    if not summary.strip():
        raise ValidationError({"summary": _("Write what happened.")})
    if url and not (url.startswith("/") or url.startswith(("https://", "http://"))):
        # Shown as a link on the contact page: no javascript: or data: URLs.
        raise ValueError(f"Timeline links must be a path or an http(s) URL, not {url!r}")
    fields = {
        "organization_id": contact.organization_id,
        "kind": kind,
        "summary": summary.strip(),
        "occurred_at": occurred_at or timezone.now(),
        "url": url,
        "created_by": created_by,
    }
    if key:
        interaction, _created = Interaction.objects.get_or_create(
            contact=contact, key=key, defaults=fields
        )
        return interaction
    return Interaction.objects.create(contact=contact, **fields)


def interactions_record_many(
    *, organization_id: int, contact_ids: Iterable[int], kind: str, summary: str, key: str
) -> None:
    """The same entry in many contacts' timelines with one insert (a newsletter sent to a
    chunk of recipients). `key` is required: a contact who has the entry already keeps
    just that one, so a retried chunk logs nothing twice."""
    if kind not in InteractionKind.values:
        raise ValueError(f"Unknown interaction kind {kind!r}")
    if not key or not summary.strip():
        raise ValueError("A bulk timeline entry needs a key and a summary")
    fields = {"organization_id": organization_id, "kind": kind, "key": key}
    fields |= {"summary": summary.strip(), "occurred_at": timezone.now()}
    entries = [Interaction(contact_id=contact_id, **fields) for contact_id in contact_ids]
    Interaction.objects.bulk_create(entries, ignore_conflicts=True)


# Consent ---------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    contact: Contact,
    given: bool,
    source: str,
    wording: str = "",
    basis: str = "",
    recorded_by: User | None = None,
    recorded_at: datetime | None = None,
) -> ConsentRecord:
    """Record that `contact` agreed to e-mail (given=True) or unsubscribed (given=False).

    Agreement needs the wording shown to the person, and for imports and staff
    records the basis (how they agreed). Unsubscribing always works.
    """
    if source not in ConsentSource.values:
        raise ValueError(f"Unknown consent source {source!r}")
    if given and not contact.email:
        raise ValidationError({"email": _("Add an e-mail address before recording consent.")})
    if given and source in (ConsentSource.IMPORT, ConsentSource.STAFF) and not basis.strip():
        raise ValidationError({"basis": _("Say how this person agreed (e.g. a signed sheet).")})
    status = ConsentStatus.GIVEN if given else ConsentStatus.WITHDRAWN
    when = recorded_at or timezone.now()
    record = ConsentRecord.objects.create(
        organization_id=contact.organization_id,
        contact=contact,
        status=status,
        recorded_at=when,
        source=source,
        basis=basis.strip(),
        wording=wording or (str(CONSENT_WORDING) if given else ""),
        recorded_by=recorded_by,
    )
    if contact.consent_changed_at is None or when >= contact.consent_changed_at:
        contact.consent = status
        contact.consent_changed_at = when
        Contact.objects.filter(pk=contact.pk).update(consent=status, consent_changed_at=when)
    return record


def consent_unsubscribe(
    *, contact: Contact, source: str = ConsentSource.UNSUBSCRIBE, recorded_by: User | None = None
) -> ConsentRecord:
    """The contact asked for no more e-mail. Safe to call twice."""
    return consent_record(contact=contact, given=False, source=source, recorded_by=recorded_by)


# Merging ---------------------------------------------------------------------


def _move_rows(
    model: type[models.Model], field_name: str, absorbed: Contact, kept: Contact
) -> None:
    """Point `model.field_name` rows from `absorbed` to `kept`.

    A row that would duplicate one `kept` already has (a unique constraint, e.g.
    both attended the same event) is redundant and is dropped instead.
    """
    manager = model._base_manager
    try:
        with transaction.atomic():
            manager.filter(**{field_name: absorbed}).update(**{field_name: kept})
        return
    except IntegrityError:
        pass
    for row in manager.filter(**{field_name: absorbed}):
        try:
            with transaction.atomic():
                manager.filter(pk=row.pk).update(**{field_name: kept})
        except IntegrityError:
            manager.filter(pk=row.pk).delete()


@transaction.atomic
def contact_merge(*, kept: Contact, absorbed: Contact, merged_by: User | None = None) -> Contact:
    """Join `absorbed` into `kept` without losing anything of either.

    Blank fields of `kept` take `absorbed`'s values, notes are joined, and every
    row that points at `absorbed` — in this app or in the apps built on it,
    found through Django's relation registry so this app imports none of them —
    now points at `kept`. The consent state becomes the latest of both histories.
    """
    if kept.pk == absorbed.pk or kept.organization_id != absorbed.organization_id:
        raise ValidationError(_("Choose two different contacts of this organization."))
    absorbed_name, absorbed_email = absorbed.full_name, absorbed.email
    # Values both records have but that differ are kept in the notes, not dropped.
    differing = [
        f"{Contact._meta.get_field(field).verbose_name}: {value}"
        for field, value in (
            ("first_name", absorbed.first_name),
            ("last_name", absorbed.last_name),
            ("email", absorbed.email),
            ("phone", absorbed.phone),
            ("partner", absorbed.partner.name if absorbed.partner_id else ""),
        )
        if value and getattr(kept, field) and str(getattr(kept, field)).lower() != value.lower()
    ]
    if differing:
        absorbed.notes = "\n".join(
            [absorbed.notes, _("From the merged record:") + " " + "; ".join(differing)]
        ).strip()
    email = kept.email or absorbed.email
    if absorbed.email:
        # Free the address first: it is unique per organization.
        Contact.objects.filter(pk=absorbed.pk).update(email="")
    for field in ("last_name", "phone", "sector"):
        if not getattr(kept, field):
            setattr(kept, field, getattr(absorbed, field))
    kept.email = email
    kept.partner_id = kept.partner_id or absorbed.partner_id
    kept.lived_experience = kept.lived_experience or absorbed.lived_experience
    if absorbed.notes and absorbed.notes not in kept.notes:
        kept.notes = "\n\n".join(n for n in (kept.notes, absorbed.notes) if n)
    kept.save()

    # include_hidden: links declared with related_name="+" (a newsletter delivery,
    # a data point's champion…) must follow the person too.
    relations = [
        f
        for f in Contact._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete
    ]
    for relation in relations:
        if relation.one_to_many or relation.one_to_one:
            _move_rows(relation.related_model, relation.field.name, absorbed, kept)
        elif relation.many_to_many and relation.through._meta.auto_created:
            # An explicit `through` model was moved above as a one-to-many.
            _move_rows(relation.through, relation.field.m2m_reverse_field_name(), absorbed, kept)
    for field in Contact._meta.many_to_many:  # Contact's own: tags.
        if field.remote_field.through._meta.auto_created:
            _move_rows(field.remote_field.through, field.m2m_field_name(), absorbed, kept)

    latest = ConsentRecord.objects.filter(contact=kept).order_by("-recorded_at", "-id").first()
    if latest:
        Contact.objects.filter(pk=kept.pk).update(
            consent=latest.status, consent_changed_at=latest.recorded_at
        )
        kept.consent, kept.consent_changed_at = latest.status, latest.recorded_at
    contact_merged.send(sender=Contact, kept=kept, absorbed=absorbed)
    interaction_record(
        contact=kept,
        kind=InteractionKind.MERGE,
        summary=_("Merged with the record of %(name)s%(email)s.")
        % {"name": absorbed_name, "email": f" <{absorbed_email}>" if absorbed_email else ""},
        created_by=merged_by,
    )
    absorbed.delete()
    bump_every(kept.organization_id)  # the rows moved by update() send no post_save
    return kept


def capacity_year(organization: Organization) -> int:
    """The year a capacity answer given now counts for: the organization's own year."""
    return timezone.localdate(timezone.now(), organization.tzinfo).year


CAPACITY_FIELDS = tuple(
    field for name, _label, _question in CAPACITY_DIMENSIONS for field in (name, f"{name}_comment")
)


@transaction.atomic
def capacity_save(
    *, partner: Partner, by: User, on_behalf: bool, seen: str | None = None, **answers
) -> CapacityAssessment:
    """Record `partner`'s capacity self-assessment for this year (a second answer in the
    same year replaces the first; past years stay as history). `on_behalf`: staff filled
    it for the partner. A form's `seen` refuses a save over a change made meanwhile."""
    year = capacity_year(partner.organization)
    assessment = CapacityAssessment.objects.filter(partner=partner, year=year).first()
    if assessment is None:
        assessment = CapacityAssessment(
            organization=partner.organization, partner=partner, year=year
        )
    else:
        require_unchanged(assessment, CAPACITY_FIELDS, seen)
    for name in CAPACITY_FIELDS:
        setattr(assessment, name, answers[name])
    assessment.answered_by = by
    assessment.answered_by_name = by.display_name
    assessment.on_behalf = on_behalf
    assessment.answered_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    note_editor(assessment, CAPACITY_FIELDS, by)
    return assessment
