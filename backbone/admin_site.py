"""The Django admin's site. It sees every tenant's rows, so it is for the people who run
the service: superusers with two-factor (TOTP) enabled. Signing in goes through allauth,
whose rate limits and TOTP step apply; the admin's own login form is not used."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class BackboneAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active
            and user.is_superuser
            and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        )

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied(
                _("The admin is for superusers who have turned on two-factor authentication.")
            )
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
