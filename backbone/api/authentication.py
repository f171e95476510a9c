"""`Authorization: Bearer <token>`: the one way into the API (no session, no password)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions

from .tokens import api_token_find, api_token_touch


class TokenAuthentication(authentication.BaseAuthentication):
    """Finds the personal token by the hash of the secret; a revoked token, or the token of
    a person no longer a member, is refused at once (it is looked up on every request)."""

    keyword = "bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Bearer <token>”.")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = api_token_find(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked."))
        api_token_touch(token)
        return token.membership.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema how the API authenticates."""

    target_class = TokenAuthentication
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        scheme = "Bearer"  # the word before the token in the header, no secret
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=scheme)
