"""The profile page's form that makes an API token."""

from django import forms
from django.utils.translation import gettext_lazy

from ..models import Membership


class ApiTokenForm(forms.Form):
    """A new token: a name to know it by, and the organization it acts in (with the role
    the person has there)."""

    name = forms.CharField(
        label=gettext_lazy("Name of the token"),
        max_length=100,
        help_text=gettext_lazy("Where it is used, e.g. “Our client database”."),
    )
    membership = forms.TypedChoiceField(label=gettext_lazy("Organization"), coerce=int)

    def __init__(self, *args, user, memberships=None, **kwargs):
        """`memberships`: the person's, with their organizations, when the page read them
        already (else read here)."""
        kwargs.setdefault("auto_id", "token_%s")
        super().__init__(*args, **kwargs)
        if memberships is None:
            memberships = Membership.objects.filter(user=user).select_related("organization")
        self.memberships = {m.pk: m for m in memberships if m.user_id == user.pk}
        self.fields["membership"].choices = [
            (pk, f"{m.organization.name} ({m.get_role_display()})")
            for pk, m in self.memberships.items()
        ]
