"""A person's own pages: their notifications (per organization) and their profile."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .access import access, org_view
from .api.forms import ApiTokenForm
from .api.tokens import api_tokens_of
from .calendar_feeds import calendar_feed_renew, calendar_feed_revoke
from .forms import form_status
from .links import org_url
from .models import Membership, Notification, NotificationDelivery, NotificationKind, User
from .notifications import deliveries_for, deliveries_save, notifications_mark_read

PAGE_SIZE = 25


def _mine(request):
    return Notification.objects.filter(
        organization=request.organization, user_id=request.membership.user_id
    )


@org_view("organization.view")
def notifications(request):
    """The member's notifications here, newest first, unread marked; 25 a page."""
    page = Paginator(_mine(request).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "backbone/notifications.html", {"page": page})


@org_view("organization.view")
@require_POST
def notification_open(request, notification_id: int):
    """Mark one notification read and go where it points."""
    notification = access(request, _mine(request), pk=notification_id)
    notifications_mark_read(membership=request.membership, ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect(org_url(request.organization, "notifications"))


@org_view("organization.view")
@require_POST
def notifications_read_all(request):
    count = notifications_mark_read(membership=request.membership)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect(org_url(request.organization, "notifications"))


class ProfileForm(forms.ModelForm):
    """Name, language and, per kind of notification, how it is mailed."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        chosen = deliveries_for(self.instance)
        for kind, label in NotificationKind.choices:
            self.fields[f"mail_{kind}"] = forms.ChoiceField(
                label=label,
                choices=NotificationDelivery.choices,
                initial=chosen[kind],
            )

    def delivery_fields(self):
        return [self[f"mail_{kind}"] for kind in NotificationKind.values]

    def save(self, commit=True):
        user = super().save(commit=commit)
        deliveries_save(
            user=user,
            choices={kind: self.cleaned_data[f"mail_{kind}"] for kind in NotificationKind.values},
        )
        return user


ProfileForm.base_fields["language"].label = gettext_lazy("Language of your mail")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved."))
        return redirect("profile")
    return profile_page(request, form, status=form_status(form))


def profile_page(request, form, *, token_form=None, new_token=None, new_feed=None, status=200):
    """The profile page, with the person's calendar feeds and API tokens (`new_token`:
    (token, secret) just made, `new_feed`: (membership, address) just made, whose secret
    this one page shows)."""
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("organization", "calendar_feed")
    )
    return render(
        request,
        "backbone/profile.html",
        {
            "form": form,
            "feed_memberships": memberships,
            "new_feed": new_feed,
            "token_form": token_form or ApiTokenForm(user=request.user, memberships=memberships),
            "api_tokens": api_tokens_of(request.user),
            "new_token": new_token,
        },
        status=status,
    )


@login_required
@require_POST
def calendar_feed(request, membership_id: int):
    """Make, renew or revoke one's own calendar feed of one organization. A new address is
    shown on this answer only (its token is kept hashed); another's membership is a 404."""
    membership = get_object_or_404(Membership, pk=membership_id, user=request.user)
    if request.POST.get("action") == "revoke":
        calendar_feed_revoke(membership=membership)
        messages.success(request, _("The calendar address is revoked: it no longer opens."))
        return redirect("profile")
    token = calendar_feed_renew(membership=membership)
    url = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": token}))
    messages.success(
        request,
        _("Your new calendar address is below; copy it now, it is shown only once."),
    )
    return profile_page(request, ProfileForm(instance=request.user), new_feed=(membership, url))
