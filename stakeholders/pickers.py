"""Searchable pickers for the registry's people and partners, and the machinery other
registries' pickers reuse (`RegistryChoiceField`, `RegistryMultipleChoiceField`: a
subclass names its search, its labels and its search endpoint; see measures.pickers).

An organization with a few people gets a plain `<select>`; past `PICKER_LIMIT` rows the
field renders no option list at all but a text input: with htmx it searches as one types
(`stakeholders:pick_contacts` / `pick_partners`, at most `PICKER_RESULTS` matches as radio
buttons), and without JavaScript the typed name or e-mail is resolved on the server, the
form answering with the matches to choose from when it names nobody or several people.
The plain select (and any client that posts an id) sends an id in the field itself; the
search's radio buttons send theirs in `<name>_pick`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_scopes import get_scope

from backbone.form_renderer import checkbox_list_html
from backbone.ids import IdMultipleChoiceField, id_parse, ids_parse
from backbone.links import org_url

from .models import Contact, Partner

PICKER_LIMIT = 200
PICKER_RESULTS = 20


def contacts_matching(queryset: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    """People whose name, e-mail or partner holds every word of `text`."""
    for word in text.split():
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(partner__name__icontains=word)
        )
    return queryset.select_related("partner").order_by("last_name", "first_name", "id")


def contacts_exact(queryset: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    """People whose full name or e-mail is `text` exactly (one of several matches)."""
    words = text.split(" ", 1)
    by_name = Q(first_name__iexact=words[0], last_name__iexact=words[1] if len(words) > 1 else "")
    return queryset.filter(by_name | Q(email__iexact=text))


def partners_matching(queryset: QuerySet[Partner], text: str) -> QuerySet[Partner]:
    for word in text.split():
        queryset = queryset.filter(name__icontains=word)
    return queryset.order_by("name", "id")


def contact_label(contact: Contact) -> str:
    return f"{contact.full_name} ({contact.partner})" if contact.partner_id else contact.full_name


def named_exactly(queryset: QuerySet, text: str) -> QuerySet:
    """Rows whose name is `text` exactly (a registry's rows have a name, but people)."""
    return queryset.filter(name__iexact=text)


@dataclass(frozen=True)
class Registry:
    """What a registry's pickers search and say: its search endpoint, how typed text
    matches rows (`matching`, in the order they are listed) and names one exactly
    (`exact`), the rows' labels, what the labels need fetched with the rows (`related`),
    and the words of the search and of its errors (`several_one`: choose one radio
    button, `several_some`: tick checkboxes)."""

    search_url_name: str
    matching: Callable[[QuerySet, str], QuerySet]
    noun_none: str
    several_some: str
    exact: Callable[[QuerySet, str], QuerySet] = named_exactly
    several_one: str = ""
    label_of: Callable[[Model], str] = str
    related: tuple[str, ...] = ()
    add_label: str = ""
    search_help: str = ""


CONTACTS = Registry(
    search_url_name="stakeholders:pick_contacts",
    matching=contacts_matching,
    exact=contacts_exact,
    noun_none=_("No one in the registry matches “%(text)s”. Type part of a name or an e-mail."),
    several_one=_(
        "Several people match “%(text)s”: choose one of them below, or type more of the name or the e-mail."
    ),
    several_some=_(
        "Several people match “%(text)s”: tick those you mean below, or type more of the name."
    ),
    label_of=contact_label,
    related=("partner",),  # each option names the person's partner
    add_label=_("Add a person"),
    search_help=_("Type part of a name or an e-mail, then tick the people to add."),
)

PARTNERS = Registry(
    search_url_name="stakeholders:pick_partners",
    matching=partners_matching,
    noun_none=_("No partner matches “%(text)s”. Type part of its name."),
    several_one=_(
        "Several partners match “%(text)s”: choose one of them below, or type more of the name."
    ),
    several_some=_(
        "Several partners match “%(text)s”: tick those you mean below, or type more of the name."
    ),
    add_label=_("Add a partner"),
    search_help=_("Type part of its name, then tick the partners to add."),
)


@dataclass
class PickerState:
    """What the search widget shows: the typed text, the choice, the matches."""

    text: str = ""
    chosen: Model | None = None
    matches: list = field(default_factory=list)
    more: bool = False


class SearchRendering:
    """What both pickers' widgets share: the search's context and its own template."""

    picker_template_name = ""
    state_class: type = object

    def __init__(self, *args, search_url_name: str = "", labeller=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_url_name = search_url_name
        self.labeller = labeller

    def format_value(self, value):
        return [] if isinstance(value, self.state_class) else super().format_value(value)

    def search_context(self, name, value, attrs) -> tuple[dict, str]:
        """The widget's context for the search input (no `required`: the text may stay
        empty when a choice below is made), and the widget's id."""
        context = forms.Widget.get_context(self, name, "", attrs)
        organization = get_scope().get("organization")
        widget_attrs = context["widget"]["attrs"]
        widget_id = widget_attrs.get("id", name)
        widget_attrs.pop("required", None)
        described = [f"{widget_id}_pickhelp", widget_attrs.pop("aria-describedby", "")]
        context["described_by"] = " ".join(filter(None, described))
        context["picker"] = value
        if organization is not None and self.search_url_name:
            context["search_url"] = org_url(organization, self.search_url_name)
        return context, widget_id

    def _render(self, template_name, context, renderer=None):
        if "picker" in context:  # ours, in the project's templates (components/)
            html = render_to_string(self.picker_template_name, context)
            return mark_safe(html)  # noqa: S308 -- rendered by an autoescaping template
        return super()._render(template_name, context, renderer)


class PickerWidget(SearchRendering, forms.Select):
    """A select for a short registry, the search input and its results for a long one."""

    picker_template_name = "components/picker.html"
    state_class = PickerState

    def value_from_datadict(self, data, files, name):
        if f"{name}_pick" not in data:
            return data.get(name)
        return {"pick": data.get(f"{name}_pick", ""), "text": data.get(name, "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_pick" not in data

    def get_context(self, name, value, attrs):
        if not isinstance(value, PickerState):
            return super().get_context(name, value, attrs)
        context, widget_id = self.search_context(name, value, attrs)
        context["picker_results"] = results_context(
            name=name,
            widget_id=widget_id,
            matches=[(obj.pk, self.labeller(obj)) for obj in value.matches],
            chosen=(value.chosen.pk, self.labeller(value.chosen)) if value.chosen else None,
            required=self.is_required,
            more=value.more,
            searched=bool(value.text),
        )
        return context


def results_context(*, name, widget_id, matches, chosen, required, more, searched) -> dict:
    """The radio buttons under the search input (the page's and the search's answer)."""
    if chosen and all(pk != chosen[0] for pk, _label in matches):
        matches = [chosen, *matches]
    return {
        "name": f"{name}_pick",
        "id": widget_id,
        "matches": matches,
        "chosen": chosen[0] if chosen else None,
        "required": required,
        "more": more,
        "searched": searched,
    }


class RegistryField:
    """What a registry's pickers share, of one row or several: the registry they choose
    from (`registry`, a Registry) and whether it is too long for a select."""

    registry: Registry
    search_include = ""  # a selector of other inputs the search sends along (htmx)
    registry_size: int | None = None  # known beforehand (a list already fetched): no count

    def label_from_instance(self, obj) -> str:
        return self.registry.label_of(obj)

    def matching(self, text: str) -> QuerySet:
        return self.registry.matching(self.queryset, text)

    def options(self, queryset: QuerySet) -> QuerySet:
        """The queryset as the options need it (what their labels name, fetched with them)."""
        related = self.registry.related
        return queryset.select_related(*related) if related else queryset

    def _set_queryset(self, queryset):
        super()._set_queryset(None if queryset is None else self.options(queryset))
        self._searchable = None

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def searchable(self) -> bool:
        """Whether the registry is too long for a select (counted once per form)."""
        if getattr(self, "_searchable", None) is None:
            size = self.registry_size
            if size is None:
                size = 0 if self.queryset is None else self.queryset.count()
            self._searchable = size > PICKER_LIMIT
        return self._searchable

    def found(self, text: str) -> tuple[list, bool]:
        """The first PICKER_RESULTS matches of `text`, and whether more match."""
        found = list(self.matching(text)[: PICKER_RESULTS + 1])
        return found[:PICKER_RESULTS], len(found) > PICKER_RESULTS

    def resolved(self, text: str) -> list:
        """The rows `text` names: the one it names exactly among several matches."""
        matches = list(self.matching(text)[:PICKER_RESULTS])
        if len(matches) > 1:
            exact = list(self.registry.exact(self.matching(text), text)[:2])
            matches = exact if len(exact) == 1 else matches
        return matches


class RegistryChoiceField(RegistryField, forms.ModelChoiceField):
    """A choice of one registry row that stays light however long the registry grows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            PickerWidget(
                search_url_name=self.registry.search_url_name, labeller=self.registry.label_of
            ),
        )
        super().__init__(*args, **kwargs)

    def _one(self, pk) -> Model | None:
        number = id_parse(pk)
        return None if number is None else self.queryset.filter(pk=number).first()

    def to_python(self, value):
        if isinstance(value, Model):
            return value
        if not isinstance(value, dict):
            if value in self.empty_values:
                return None
            if id_parse(value) is not None:
                return super().to_python(value)
            value = {"pick": "", "text": str(value)}
        if value.get("pick"):
            return super().to_python(value["pick"])
        text = " ".join(str(value.get("text") or "").split())
        if not text:
            return None
        matches = self.resolved(text)
        if not matches:
            raise ValidationError(self.registry.noun_none % {"text": text}, code="no_match")
        if len(matches) > 1:
            message = self.registry.several_one % {"text": text}
            raise ValidationError(message, code="several_match")
        return matches[0]

    def has_changed(self, initial, data):
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        initial_pk = initial.pk if isinstance(initial, Model) else initial
        return str(initial_pk or "") != str(chosen.pk if chosen else "")

    def prepare_value(self, value):
        if not self.searchable():  # a select; its options come here one by one
            if isinstance(value, dict):
                value = value.get("pick") or value.get("text")
            return super().prepare_value(value)
        state = PickerState()
        if isinstance(value, dict):
            state.text = " ".join(str(value.get("text") or "").split())
            value = value.get("pick")
        elif isinstance(value, str) and value.strip() and id_parse(value) is None:
            state.text, value = value, None  # a typed name sent without the radio buttons
        state.chosen = value if isinstance(value, Model) else self._one(value)
        if state.text and not state.chosen:
            state.matches, state.more = self.found(state.text)
        return state


class ContactChoiceField(RegistryChoiceField):
    """One person of the registry, named with their partner."""

    registry = CONTACTS


class PartnerChoiceField(RegistryChoiceField):
    """One partner organization of the registry."""

    registry = PARTNERS


# A choice of several people -----------------------------------------------------------


@dataclass
class MultiPickerState:
    """What the several-people search shows: the people chosen, the typed text, its matches."""

    chosen: list = field(default_factory=list)
    text: str = ""
    matches: list = field(default_factory=list)
    more: bool = False


CHECKBOX_ATTRIBUTES = (
    "input_type",
    "template_name",
    "option_template_name",
    "add_id_index",
    "option_inherits_attrs",
    "checked_attribute",
)


class MultiPickerWidget(SearchRendering, forms.SelectMultiple):
    """A multi-select for a short registry; for a long one the chosen rows as ticked
    checkboxes, and a search whose matches come as checkboxes to tick (all named `<name>`,
    so the form receives ids as from a select); the typed text is sent as `<name>_search`.
    Its labels and the search's extra inputs come from its field (RegistryMultipleChoiceField)."""

    picker_template_name = "components/multi_picker.html"
    state_class = MultiPickerState

    def __init__(self, *args, checkboxes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.field = None  # the field, which knows whether the registry is long
        self.checkboxes = checkboxes  # a short registry as checkboxes rather than a select
        if checkboxes:  # what CheckboxSelectMultiple renders differently from a select
            checkbox = forms.CheckboxSelectMultiple
            for name in CHECKBOX_ATTRIBUTES:
                setattr(self, name, getattr(checkbox, name))

    @property
    def use_fieldset(self) -> bool:  # a group of checkboxes (and a search): a fieldset
        return self.checkboxes or (self.field is not None and self.field.searchable())

    def use_required_attribute(self, initial):
        return not self.checkboxes and super().use_required_attribute(initial)

    def id_for_label(self, id_, index=None):
        if self.checkboxes and index is None:
            return ""  # the fieldset's legend names the group
        return super().id_for_label(id_, index)

    def value_from_datadict(self, data, files, name):
        if f"{name}_search" not in data:
            return super().value_from_datadict(data, files, name)
        return {"ids": data.getlist(name), "text": data.get(f"{name}_search", "")}

    def value_omitted_from_data(self, data, files, name):
        return False  # no checkbox ticked is a choice of no one

    def _render(self, template_name, context, renderer=None):
        if self.checkboxes and "picker" not in context:  # a short registry's checkbox list
            html = checkbox_list_html(context["widget"])
            if html is not None:
                return html
        return super()._render(template_name, context, renderer)

    def get_context(self, name, value, attrs):
        if not isinstance(value, MultiPickerState):
            return super().get_context(name, value, attrs)
        context, widget_id = self.search_context(name, value, attrs)
        context["chosen"] = [(obj.pk, self.labeller(obj)) for obj in value.chosen]
        context["add_label"] = self.field.registry.add_label
        context["search_help"] = self.field.registry.search_help
        context["search_include"] = self.field.search_include
        chosen_ids = {obj.pk for obj in value.chosen}
        context["picker_results"] = {
            **results_context(
                name=name,
                widget_id=widget_id,
                matches=[(o.pk, self.labeller(o)) for o in value.matches if o.pk not in chosen_ids],
                chosen=None,
                required=True,
                more=value.more,
                searched=bool(value.text),
            ),
            "name": name,
            "multiple": True,
        }
        return context


class RegistryMultipleChoiceField(RegistryField, IdMultipleChoiceField):
    """Several rows of a registry: a multi-select (with `checkboxes`, a checkbox list) up to
    `PICKER_LIMIT` rows, past it the chosen ones and a search (with htmx as one types;
    without JavaScript a typed text naming one row adds it, several or none is a form
    error listing the matches)."""

    def __init__(self, *args, checkboxes: bool = False, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiPickerWidget(
                search_url_name=self.registry.search_url_name,
                labeller=self.registry.label_of,
                checkboxes=checkboxes,
            ),
        )
        super().__init__(*args, **kwargs)
        self.widget.field = self

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.field = result
        return result

    def clean(self, value):
        if not isinstance(value, dict):
            return super().clean(value)
        ids = [pk for pk in value.get("ids", []) if pk not in self.empty_values]
        text = " ".join(str(value.get("text") or "").split())
        chosen = self._check_values(ids) if ids else self.queryset.none()
        if text:
            matches = self.resolved(text)
            # Ticking one of the matches of the text answers it (the page without JS).
            if not {m.pk for m in matches} & {int(pk) for pk in ids}:
                if not matches:
                    message = self.registry.noun_none % {"text": text}
                    raise ValidationError(message, code="no_match")
                if len(matches) > 1:
                    message = self.registry.several_some % {"text": text}
                    raise ValidationError(message, code="several_match")
                chosen = self.queryset.filter(pk__in=[*ids, matches[0].pk])
        if self.required and not chosen:
            raise ValidationError(self.error_messages["required"], code="required")
        self.run_validators(chosen)
        return chosen

    def has_changed(self, initial, data):
        def pks(values):
            return {str(getattr(v, "pk", v)) for v in values or []}

        if isinstance(data, dict):
            return bool(" ".join(str(data.get("text") or "").split())) or pks(initial) != pks(
                data.get("ids")
            )
        return pks(initial) != pks(data)

    def prepare_value(self, value):
        if not self.searchable():
            if isinstance(value, dict):
                value = value.get("ids")
            return super().prepare_value(value)
        state = MultiPickerState()
        if isinstance(value, dict):
            state.text = " ".join(str(value.get("text") or "").split())
            value = value.get("ids")
        objects = [v for v in value or [] if isinstance(v, Model)]
        ids = ids_parse([v for v in value or [] if not isinstance(v, Model)])
        if ids:
            # In the search's order (`matching` with no text filters nothing).
            objects += list(self.registry.matching(self.queryset.filter(pk__in=ids), ""))
        state.chosen = objects
        if state.text:
            state.matches, state.more = self.found(state.text)
        return state


class ContactMultipleChoiceField(RegistryMultipleChoiceField):
    """Several people of the registry."""

    registry = CONTACTS


class PartnerMultipleChoiceField(RegistryMultipleChoiceField):
    """Several partners of the registry (an agreement's parties)."""

    registry = PARTNERS
