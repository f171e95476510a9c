"""A person's API tokens on their profile page: make one (its secret shown once), revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import form_status
from ..personal import ProfileForm, profile_page
from .forms import ApiTokenForm
from .tokens import api_token_create, api_token_revoke, api_tokens_of


@login_required
@require_POST
def api_token_new(request):
    form = ApiTokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return profile_page(
            request, ProfileForm(instance=request.user), token_form=form, status=form_status(form)
        )
    token, secret = api_token_create(
        membership=form.memberships[form.cleaned_data["membership"]],
        name=form.cleaned_data["name"],
    )
    return profile_page(request, ProfileForm(instance=request.user), new_token=(token, secret))


@login_required
@require_POST
def api_token_revoke_view(request, token_id: int):
    token = get_object_or_404(api_tokens_of(request.user), pk=token_id)
    api_token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("profile")
