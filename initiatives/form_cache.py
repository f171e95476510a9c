"""The empty "add" forms of an initiative's pages (an action item, a risk, a deliverable, a
team, a funding commitment, a person, a partner; the sponsor form) kept as HTML five minutes: their pickers list the
organization's people or partners, which cost more to build and write than the rest of
the page.

Only the fields are kept (what `components/form.html` writes): the `<form>` around them,
with its CSRF token, is written per request by the page. An empty form is the same for
every member who may add (the key is the form, the initiative and the language); a form
that was posted, with what was typed and its errors, is never kept.

Every save or delete of a row the options come from (`OPTIONS`) gives the organization a
new stamp (`backbone.stamped_cache`), kept beside each entry: a form kept under an older
stamp is made afresh. An import bumps it with every other kind (`bump_every`).
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from backbone.models import Organization
from backbone.stamped_cache import OrganizationStamp
from stakeholders.models import Contact, Partner

from .models import Attendance, Deliverable, Initiative, Participation

TIMEOUT = 300
# What the forms' options list: people (with their partner's name), partners, the
# initiative's deliverables, who already takes part or came to an event (left out of the
# people pickers), and
# the organization (its address is in a picker's search link), and the initiative (its
# sponsor is the sponsor form's choice).
OPTIONS = (Organization, Initiative, Contact, Partner, Deliverable, Participation, Attendance)

FORMS = OrganizationStamp("initiative-add-forms", timeout=TIMEOUT)
FORMS.listen(OPTIONS)


def add_form_html(form_class: type, initiative: Initiative) -> SafeString:
    """The fields of the empty `form_class(initiative=…, auto_id="add_%s")`, as
    `components/form.html` writes them: from the cache while the organization's stamp is
    unchanged, else made and kept."""
    return kept_fields(form_class, initiative, auto_id="add_%s").html


@dataclass(frozen=True)
class KeptFields:
    """An empty form's fields, already written: `{{ form }}` shows them. A template tells
    it from a form (posted, to be written with its errors) by `form.kept`."""

    html: SafeString
    kept = True
    errors = None  # `{% if form.errors %}`, as for an empty form

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def kept_fields(
    form_class: type,
    initiative: Initiative,
    *,
    template: str = "components/form.html",
    auto_id: str | None = None,
) -> KeptFields:
    """The empty `form_class(initiative=…)` (with `auto_id` when given) written by
    `template` (given the form as `form`): from the cache while the organization's stamp is
    unchanged, else made and kept."""

    options = {"auto_id": auto_id} if auto_id else {}
    return kept_form(
        initiative.organization_id,
        f"{form_class.__name__}:{auto_id}:{template}:{initiative.pk}",
        lambda: form_class(initiative=initiative, **options),
        template=template,
    )


def kept_form(
    organization_id: int, key: str, make_form, *, template: str = "components/form.html"
) -> KeptFields:
    """The empty form `make_form()` written by `template`, kept under `key` (what the form
    depends on besides the language and the organization's rows `OPTIONS`)."""

    def make() -> str:
        return str(render_to_string(template, {"form": make_form()}))

    key = f"{key}:{translation.get_language()}"
    html = FORMS.get_or_make(organization_id, key, make)
    return KeptFields(mark_safe(html))  # noqa: S308 (written by the template, escaped there)
