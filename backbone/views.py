from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services, tasks
from .access import access, org_view
from .deletion import confirm_page, deletion_consequences
from .forms import (
    INVALID_FORM,
    SIGNUP_INVITATION,
    InvitationForm,
    MembershipRoleForm,
    OrganizationForm,
    OrganizationSettingsForm,
    form_page,
    form_status,
)
from .health import heartbeat_status
from .links import org_url, site_url
from .models import Invitation, JobRun, Membership, Role
from .saved import announce_saved


def home(request):
    """Landing page for visitors; a signed-in member goes to their organization."""
    if not request.user.is_authenticated:
        return render(request, "backbone/landing.html")
    memberships = list(Membership.objects.filter(user=request.user).select_related("organization"))
    if len(memberships) == 1:
        return redirect("organization_home", org_slug=memberships[0].organization.slug)
    return render(request, "backbone/organizations.html", {"memberships": memberships})


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(creator=request.user, **form.cleaned_data)
        except IntegrityError:
            # Someone took the slug between validation and saving.
            form.add_error("slug", _("This web address is already taken. Choose another."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(name)s is ready. Invite your team.") % {"name": organization.name}
            )
            return redirect("organization_home", org_slug=organization.slug)
    return render(
        request, "backbone/organization_form.html", {"form": form}, status=form_status(form)
    )


def invitation_welcome(invitation: Invitation) -> str:
    """Who invites whom to do what: "Maya Chen of Riverside Collective invites you to report
    for Riverside Food Bank"."""
    words = {
        "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
        "organization": invitation.organization.name,
        "partner": invitation.partner_name,
        "role": invitation.get_role_display(),
    }
    if not words["inviter"]:
        if invitation.partner_name:
            return _("%(organization)s invites you to report for %(partner)s.") % words
        return _("%(organization)s invites you to join as %(role)s.") % words
    if invitation.partner_name:
        return _("%(inviter)s of %(organization)s invites you to report for %(partner)s.") % words
    return _("%(inviter)s of %(organization)s invites you to join as %(role)s.") % words


def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_lookup(token)
    except services.InvitationError as exc:
        return render(request, "backbone/invitation.html", {"error": str(exc)}, status=410)

    if not request.user.is_authenticated:
        # Clicking the mailed link proves the address, so allauth needn't ask again.
        get_adapter(request).stash_verified_email(request, invitation.email)
        welcome = invitation_welcome(invitation)
        request.session[SIGNUP_INVITATION] = {"name": invitation.name, "welcome": welcome}
        context = {"invitation": invitation, "welcome": welcome}
        return render(request, "backbone/invitation.html", context)

    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except services.InvitationForSomeoneElse as exc:
            context = {"invitation": invitation, "someone_else": str(exc)}
            return render(request, "backbone/invitation.html", context, status=403)
        except services.InvitationError as exc:
            return render(request, "backbone/invitation.html", {"error": str(exc)}, status=410)
        messages.success(
            request, _("Welcome to %(name)s.") % {"name": membership.organization.name}
        )
        if membership.role == Role.PARTNER:
            # A partner's first screen: what their partner owes, and how to submit it.
            return redirect(org_url(membership.organization, "measures:index") + "?welcome=1")
        return redirect("organization_home", org_slug=membership.organization.slug)
    try:
        services.invitation_check_addressee(invitation, request.user)
    except services.InvitationForSomeoneElse as exc:
        context = {"invitation": invitation, "someone_else": str(exc)}
        return render(request, "backbone/invitation.html", context, status=403)
    context = {"invitation": invitation, "welcome": invitation_welcome(invitation)}
    return render(request, "backbone/invitation.html", context)


@org_view("organization.settings")
def organization_settings(request):
    organization = request.organization
    form = OrganizationSettingsForm(request.POST or None, instance=organization)
    return form_page(
        request,
        form,
        "backbone/organization_settings.html",
        save=lambda: form.save(by=request.user),
        done=lambda saved: (
            _("Settings saved."),
            org_url(saved, "organization_settings"),
        ),
    )


def _members_context(request, invite_form=None):
    organization = request.organization
    return {
        "members": Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__email"),
        "invitations": [
            invitation
            for invitation in Invitation.objects.filter(
                organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
            ).select_related("invited_by")
            if not invitation.is_expired
        ],
        "invite_form": invite_form or InvitationForm(organization=organization),
        "role_choices": Role.choices,
    }


@org_view("members.view")
def members(request):
    return render(request, "backbone/members.html", _members_context(request))


@org_view("members.manage")
@require_POST
def member_invite(request):
    form = InvitationForm(request.POST, organization=request.organization)
    if form.is_valid():
        try:
            issued = services.invitation_create(
                organization=request.organization,
                invited_by=request.user,
                site=site_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for 7 days.")
                % {"email": issued.invitation.email},
            )
            return redirect(org_url(request.organization, "members"))
    return render(
        request, "backbone/members.html", _members_context(request, form), status=INVALID_FORM
    )


def _member(request, membership_id: int) -> Membership:
    return access(request, Membership.objects.select_related("user"), pk=membership_id)


@org_view("members.manage")
@require_POST
def member_role(request, membership_id: int):
    member = _member(request, membership_id)
    form = MembershipRoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.membership_change_role(membership=member, role=form.cleaned_data["role"])
        except ValidationError as exc:
            error = exc.message_dict["role"][0]
    else:
        error = form.errors["role"][0]
    member.refresh_from_db()
    if request.htmx:
        response = render(
            request,
            "backbone/members.html#member-row",
            {"member": member, "row_error": error, "role_choices": Role.choices},
        )
        if error:
            return response
        said = _("Saved: %(person)s is now %(role)s.") % {
            "person": member.user.display_name,
            "role": member.get_role_display(),
        }
        return announce_saved(response, request, said)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Role changed."))
    return redirect(org_url(request.organization, "members"))


@org_view("members.manage")
def member_remove(request, membership_id: int):
    member = _member(request, membership_id)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Remove %(person)s?") % {"person": member.user.display_name},
            lead=_(
                "%(person)s (%(email)s) loses access to %(org)s at once: they no longer see "
                "its pages or get its notifications."
            )
            % {
                "person": member.user.display_name,
                "email": member.user.email,
                "org": request.organization.name,
            },
            button=_("Remove %(person)s") % {"person": member.user.display_name},
            cancel_url=org_url(request.organization, "members"),
            consequences=deletion_consequences(member),
            stays_help=_(
                "What they did stays, under their name: data they entered or approved, "
                "plan versions they adopted, comments, transitions."
            ),
        )
    try:
        services.membership_remove(membership=member)
    except ValidationError as exc:
        messages.error(request, exc.message_dict["role"][0])
        return redirect(org_url(request.organization, "members"))
    messages.success(request, _("%(person)s was removed.") % {"person": member.user.display_name})
    if member.user_id == request.user.id:
        # They left the organization: its pages are no longer theirs.
        return redirect("home")
    return redirect(org_url(request.organization, "members"))


@org_view("members.manage")
@require_POST
def invitation_revoke(request, invitation_id: int):
    invitation = access(request, Invitation, pk=invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect(org_url(request.organization, "members"))


@org_view("jobs.view")
def jobs(request):
    runs = JobRun.objects.filter(organization=request.organization)[:100]
    return render(
        request,
        "backbone/jobs.html",
        {"runs": runs, "heartbeat": heartbeat_status(workers=tasks.workers_answering())},
    )


@org_view("jobs.view")
@require_POST
def job_rerun(request, job_id: int):
    job = access(request, JobRun, pk=job_id)
    try:
        tasks.job_rerun(job)
    except ValueError:
        messages.error(request, _("Only a failed job can be run again."))
    else:
        messages.success(request, _("%(job)s was sent to run again.") % {"job": job.task_name})
    return redirect(org_url(request.organization, "jobs"))
