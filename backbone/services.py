"""Writes of the tenancy core: organizations, invitations, memberships."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .links import org_url
from .models import Invitation, Membership, Organization, Role, User, hash_token
from .notifications import Kind, notify
from .signals import invitation_accepted
from .tasks import enqueue, send_invitation


@transaction.atomic
def organization_create(
    *, creator: User, name: str, slug: str, time_zone: str = "America/Toronto", language: str = "en"
) -> Organization:
    """Create an organization; its creator becomes its first admin."""
    organization = Organization(name=name, slug=slug, time_zone=time_zone, language=language)
    organization.full_clean()
    organization.save()
    Membership.objects.create(user=creator, organization=organization, role=Role.ADMIN)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, **fields) -> Organization:
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    return organization


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str

    @property
    def path(self) -> str:
        return reverse("invitation_accept", kwargs={"token": self.token})


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    email: str,
    role: str,
    invited_by: User,
    name: str = "",
    partner_id: int | None = None,
    partner_name: str = "",
    site: str | None = None,
    language: str = "",
) -> IssuedInvitation:
    """Invite `email` to join with `role` and mail them the link.

    A pending invitation to the same address is revoked, so only the newest link
    works. The token leaves this function once, in the e-mail; we keep its hash.
    `partner_id` (with `partner_name`, for the mail) invites a partner user who, on
    accepting, reports for that partner. `site` is the address the inviter uses
    (`links.site_url(request)`); SITE_URL otherwise. `language` is the mail's, chosen by
    the inviter (empty: the organization's).
    """
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if partner_id is not None and role != Role.PARTNER:
        raise ValidationError({"role": _("Only a Partner reports for a partner organization.")})
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a valid language.")})
    Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        name=name.strip(),
        partner_id=partner_id,
        partner_name=partner_name if partner_id is not None else "",
        language=language,
        token_hash=hash_token(token),
        invited_by=invited_by,
    )
    issued = IssuedInvitation(invitation=invitation, token=token)
    url = (site or settings.SITE_URL).rstrip("/") + issued.path
    context = {
        "invitation": invitation,
        "url": url,
        "inviter": invited_by,
        "partner_name": partner_name,
        "organization": organization,
        "site_url": (site or settings.SITE_URL).rstrip("/"),
    }
    with translation.override(language or organization.language):
        subject = _("%(inviter)s invites you to %(organization)s on Backbone") % {
            "inviter": invited_by.display_name,
            "organization": organization.name,
        }
        body = render_to_string("backbone/email/invitation.txt", context)
        html = render_to_string("backbone/email/invitation.html", context)
    enqueue(
        send_invitation,
        organization_id=organization.pk,
        invitation_id=invitation.pk,
        subject=subject,
        body=body,
        html=html,
    )
    return issued


class InvitationError(Exception):
    """The invitation can't be used; the message says why, for the person holding it."""


class InvitationForSomeoneElse(InvitationError):
    """The signed-in account does not hold the invited address."""


def invitation_check_addressee(invitation: Invitation, user: User) -> None:
    """Raise InvitationForSomeoneElse unless `user` holds the invited address: as the
    account's own address, or as a verified second address of it. A forwarded link (or one
    opened in a browser where someone else is signed in) must not make that person a member."""
    invited = invitation.email.casefold()
    if user.email.casefold() == invited:
        return
    if EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        return
    raise InvitationForSomeoneElse(
        _(
            "This invitation was sent to %(invited)s, and you are signed in as %(email)s. "
            "Sign out and sign in (or create an account) with %(invited)s, or add that address "
            "to your account and verify it, then open the link again."
        )
        % {"invited": invitation.email, "email": user.email}
    )


def invitation_lookup(token: str) -> Invitation:
    """The usable invitation for `token`, or InvitationError saying why not."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(
            _("This invitation link is not valid. Check that you copied the whole link.")
        )
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise InvitationError(
            _("This invitation was withdrawn or replaced by a newer one. Ask for a new link.")
        )
    if invitation.is_expired:
        raise InvitationError(
            _("This invitation expired on %(date)s. Ask the person who invited you for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).date().isoformat()}
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Use the invitation once: `user` joins its organization with its role."""
    found = invitation_lookup(token)
    # Lock the row so two clicks can't both use it.
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."))
    invitation_check_addressee(invitation, user)
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.language and not user.language:
        # The inviter chose the language of the mail: the new member's mail keeps it.
        user.language = invitation.language
        user.save(update_fields=["language"])
    if created:
        invitation_accepted.send(sender=Invitation, invitation=invitation, membership=membership)
    if invitation.invited_by_id:
        notify(
            organization=invitation.organization,
            recipients=[invitation.invited_by_id],
            kind=Kind.INVITATION_ACCEPTED,
            key=f"invitation_accepted:{invitation.pk}",
            title=lambda: (
                _("%(person)s accepted your invitation and joined as %(role)s")
                % {"person": user.display_name, "role": membership.get_role_display()}
            ),
            url=org_url(invitation.organization, "members"),
        )
    return membership


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def _ensure_another_admin(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(organization_id=membership.organization_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(
            {"role": _("An organization needs at least one admin. Make someone else admin first.")}
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_another_admin(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN:
        _ensure_another_admin(membership)
    membership.delete()
