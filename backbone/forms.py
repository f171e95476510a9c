import functools
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.choices import BaseChoiceIterator
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

from .models import RESERVED_SLUGS, Organization, Role, time_zone_names
from .stale import SeenForm, refresh_seen

# The status of a page or fragment that shows a form again with its errors. The base
# layout tells htmx to swap 422 responses, so an inline form shows its errors in place.
INVALID_FORM = 422


def form_status(*forms: forms.BaseForm | None) -> int:
    """422 when any of `forms` has errors, else 200."""
    return INVALID_FORM if any(form is not None and form.errors for form in forms) else 200


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, or on
    top of the form when it names no field of this form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
    refresh_seen(form, exc)


# Numbers: shown in the organization's locale (thousands grouped, no trailing zeros:
# "10,176", never "10176.0000") and accepted back in that form wherever they are typed.


def display_number(value: Decimal | None) -> str:
    """A number as people read it: grouped, without the zeros a decimal column pads it with."""
    if value is None:
        return ""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        normal = normal.quantize(Decimal(1))
    places = max(0, -normal.as_tuple().exponent)
    return number_format(normal, decimal_pos=places, force_grouping=True)


def parse_number(text: str) -> str:
    """What a person typed ("12,500", "12 500", "$12,500.50", "40 %") as a plain number
    string for `Decimal`; the locale's separators are read as the locale writes them."""
    thousands = get_format("THOUSAND_SEPARATOR")
    decimal = get_format("DECIMAL_SEPARATOR")
    text = str(text).strip()
    for mark in ("\u00a0", "\u202f", " ", "$", "%"):
        text = text.replace(mark, "")
    if thousands and thousands.strip():
        text = text.replace(thousands, "")
    if decimal != ".":
        text = text.replace(decimal, ".")
    return text


class NumberInput(forms.TextInput):
    """A text input for numbers (so "12,500" can be typed), with the decimal keypad on phones."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return display_number(Decimal(value))
        return super().format_value(value)


class NumberField(forms.DecimalField):
    """The one numeric form field: every form's numbers are read and shown through it."""

    widget = NumberInput

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_number(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No min/max/step attributes: the widget is a text input, and the checks are ours.
        return {}


class WholeNumberInput(NumberInput):
    """A text input for whole numbers: the digits keypad on phones; a year is not grouped
    ("2027", never "2,027")."""

    def __init__(self, attrs=None, *, grouping: bool = True):
        super().__init__({"inputmode": "numeric", **(attrs or {})})
        self.grouping = grouping

    def format_value(self, value):
        if not self.grouping and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return super().format_value(value)


class WholeNumberField(NumberField):
    """A count, a number of seats, a year: typed as people write it ("1,200" in the
    organization's locale), never in the browser's number input; a whole number back."""

    widget = WholeNumberInput
    default_error_messages = {"invalid": _("Enter a whole number.")}

    def __init__(self, *, grouping: bool = True, **kwargs):
        kwargs.pop("max_digits", None)
        kwargs.pop("decimal_places", None)
        kwargs.setdefault("widget", WholeNumberInput(grouping=grouping))
        super().__init__(max_digits=None, decimal_places=0, **kwargs)
        # The decimal digits check reads a Decimal; ours gives an int (and is whole).
        self.validators = [v for v in self.validators if not isinstance(v, DecimalValidator)]

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)

    def validate(self, value):
        forms.Field.validate(self, value)  # a whole number needs none of DecimalField's checks


def number_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """`formfield_callback` of model forms: decimal columns use `NumberField`, integer
    columns (other than a list of choices) `WholeNumberField`, a year ungrouped."""
    if isinstance(db_field, models.DecimalField):
        return db_field.formfield(form_class=NumberField, **kwargs)
    if isinstance(db_field, models.IntegerField) and not db_field.choices:
        grouping = not db_field.name.endswith("year")
        return db_field.formfield(form_class=partial(WholeNumberField, grouping=grouping), **kwargs)
    return db_field.formfield(**kwargs)


T = TypeVar("T")


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    save: Callable[[], T],
    done: Callable[[T], tuple[str, str]],
) -> HttpResponse:
    """The page of a create or edit form. On a valid POST `save()` writes — a service's
    ValidationError shows on top of the form — and `done(saved)` gives the success message
    and the address to go on to; otherwise the page shows the form, 422 with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            message, url = done(saved)
            messages.success(request, message)
            return redirect(url)
    return render(request, template, {"form": form, **(context or {})}, status=form_status(form))


def form_write(form: forms.BaseForm | None, write: Callable[..., T], **kwargs) -> T | None:
    """What `write(**kwargs, **form.cleaned_data)` returns once `form` was posted and is valid;
    else None. A ValidationError of the service shows on the form (next to the field it
    names), and gives None too."""
    if form is None or not form.is_valid():
        return None
    try:
        return write(**kwargs, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def single_line(value: str) -> None:
    """A name or subject that goes into e-mail headers and page titles has no line break."""
    if "\n" in value or "\r" in value:
        raise ValidationError(_("Keep this on one line, without line breaks."), code="single_line")


@functools.cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    return tuple((tz, tz.replace("_", " ")) for tz in sorted(time_zone_names()))


class TimeZoneChoices(BaseChoiceIterator):
    """`time_zone_choices()` as a field's choices, read as they are and never copied: given
    the function, Django normalizes all 600 zones on each reading, and each form reads them
    to find the first (whether the select may say `required`)."""

    def __iter__(self):
        return iter(time_zone_choices())

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


class TimeZoneSelect(forms.Select):
    """The ~600 zones' select, written once per name, value and attributes and then kept
    (per process, at most `KEPT` of them): the zones and their labels never change while
    the process lives, and building 600 options cost more than the rest of the page."""

    KEPT = 64
    _rendered: dict[tuple, str] = {}

    def render(self, name, value, attrs=None, renderer=None):
        merged = self.build_attrs(self.attrs, attrs)
        try:
            key = (name, tuple(self.format_value(value)), tuple(sorted(merged.items())))
            hash(key)
        except TypeError:  # an attribute that cannot be a key: written every time
            return super().render(name, value, attrs, renderer)
        key += (type(renderer),)
        html = self._rendered.get(key)
        if html is None:
            if len(self._rendered) >= self.KEPT:
                self._rendered.clear()
            html = self._rendered[key] = super().render(name, value, attrs, renderer)
        return html


class OrganizationForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TimeZoneChoices(),
        widget=TimeZoneSelect,
        initial="America/Toronto",
        help_text=_("Dates, deadlines and the weekly newsletter follow this time zone."),
    )

    class Meta:
        model = Organization
        fields = ["name", "slug", "time_zone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The name is the sender and subject of the organization's mail.
        self.fields["name"].validators.append(single_line)

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is reserved. Choose another.") % {"slug": slug}
            )
        return slug


class OrganizationSettingsForm(OrganizationForm, SeenForm):
    class Meta(OrganizationForm.Meta):
        fields = ["name", "time_zone", "language", "newsletter_weekday", "newsletter_hour"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.COORDINATOR)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=(), required=False)

    def __init__(self, *args, organization: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = invitation_language_choices(organization)


def invitation_language_choices(organization: Organization | None) -> list[tuple[str, str]]:
    """The mail's language: the organization's (the empty choice) or another."""
    own = organization.get_language_display() if organization else _("the site's")
    return [("", _("The organization's (%(language)s)") % {"language": own})] + list(
        settings.LANGUAGES
    )


class MembershipRoleForm(forms.Form):
    # A plain form: a ModelForm would write the new role onto the instance
    # before the service checks the last-admin rule against the old one.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


# The session key under which the invitation page leaves, for the sign-up page, the
# invitee's name as the inviter gave it (to prefill the form) and who invites them to
# do what (to show above it).
SIGNUP_INVITATION = "invitation_signup"


def split_name(name: str) -> tuple[str, str]:
    """ "Sam Rivera" → ("Sam", "Rivera"); "Maya de la Cruz" → ("Maya", "de la Cruz")."""
    first, _space, last = name.strip().partition(" ")
    return first, last.strip()


class SignupForm(forms.Form):
    """What allauth's sign-up asks besides the e-mail and password: the person's name, so
    that people are shown by name, not by address (ACCOUNT_SIGNUP_FORM_CLASS). An invitee's
    name comes prefilled as the inviter gave it."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = allauth_context.request
        invited = request.session.get(SIGNUP_INVITATION) if request is not None else None
        if invited and invited.get("name"):
            first, last = split_name(invited["name"])
            self.fields["first_name"].initial = first
            self.fields["last_name"].initial = last

    def signup(self, request, user) -> None:
        request.session.pop(SIGNUP_INVITATION, None)
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class AdminTransferForm(forms.Form):
    """Whom to hand the admin role to, and whether the admin offering it stays one."""

    to = forms.ModelChoiceField(
        label=_("New admin"),
        queryset=None,
        help_text=_("A member of the organization; they accept before anything changes."),
    )
    keep_admin = forms.BooleanField(
        label=_("I stay an admin too"),
        required=False,
        help_text=_("Leave unticked to become a coordinator once they accept."),
    )
    note = forms.CharField(
        label=_("A word for them"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = members
        self.fields["to"].label_from_instance = lambda m: (
            f"{m.user.display_name} · {m.user.email} · {m.get_role_display()}"
        )
