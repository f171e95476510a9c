"""The searchable choice of indicators (an agreement's covered indicators), on the
registry pickers' machinery (stakeholders.pickers): a checkbox list up to PICKER_LIMIT
indicators, past it the chosen ones and a search (`measures:pick_indicators`)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from stakeholders.pickers import Registry, RegistryMultipleChoiceField

from .models import Indicator


def indicators_matching(queryset: QuerySet[Indicator], text: str) -> QuerySet[Indicator]:
    """Indicators whose name or initiative's name holds every word of `text`."""
    for word in text.split():
        queryset = queryset.filter(Q(name__icontains=word) | Q(initiative__name__icontains=word))
    return queryset.select_related("initiative").order_by("initiative__name", "name", "id")


def indicator_label(indicator: Indicator) -> str:
    return f"{indicator.name} ({indicator.initiative})"


INDICATORS = Registry(
    search_url_name="measures:pick_indicators",
    matching=indicators_matching,
    noun_none=_("No indicator matches “%(text)s”. Type part of its name."),
    several_some=_(
        "Several indicators match “%(text)s”: tick those you mean below, or type more of the name."
    ),
    label_of=indicator_label,
    related=("initiative",),
    add_label=_("Add an indicator"),
    search_help=_("Type part of its name or of its initiative’s, then tick the ones to add."),
)


class IndicatorMultipleChoiceField(RegistryMultipleChoiceField):
    """Several indicators, named with their initiative. A form whose indicators depend on
    another field sets `search_include` to that input's selector: the search sends it."""

    registry = INDICATORS
