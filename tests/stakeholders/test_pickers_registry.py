"""The registry picker fields on their own (stakeholders.pickers.RegistryMultipleChoiceField
and the registries it serves: partners here, indicators in measures): ids of another
organization refused, checkboxes below PICKER_LIMIT, a search and the chosen past it."""

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict
from django_scopes import scope

from measures.pickers import IndicatorMultipleChoiceField
from stakeholders import pickers
from stakeholders.models import Partner
from stakeholders.pickers import PartnerMultipleChoiceField

from ..initiatives.factories import InitiativeFactory
from ..measures.factories import IndicatorFactory
from .factories import PartnerFactory


def posted(**fields) -> MultiValueDict:
    """What a browser posts (a list for each name)."""
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in fields.items()})


class PartiesForm(forms.Form):
    parties = PartnerMultipleChoiceField(queryset=None, required=False, checkboxes=True)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Partner.objects.filter(organization=organization)


def test_another_organizations_partner_is_refused(world):
    ours = PartnerFactory(organization=world.org)
    theirs = PartnerFactory(organization=world.other_org)
    with scope(organization=world.org):
        refused = PartiesForm(posted(parties=[ours.pk, theirs.pk]), organization=world.org)
        assert not refused.is_valid() and refused.errors["parties"]
        also_refused = PartiesForm(
            posted(parties=[theirs.pk], parties_search=""), organization=world.org
        )
        assert not also_refused.is_valid()
        kept = PartiesForm(posted(parties=[ours.pk], parties_search=""), organization=world.org)
        assert kept.is_valid() and list(kept.cleaned_data["parties"]) == [ours]


def test_below_the_limit_checkboxes_past_it_the_chosen_and_a_search(world, monkeypatch):
    partners = PartnerFactory.create_batch(4, organization=world.org)
    with scope(organization=world.org):
        short = str(PartiesForm(initial={"parties": [partners[1]]}, organization=world.org))
        assert short.count('type="checkbox" name="parties"') == 4
        assert "parties_search" not in short
        monkeypatch.setattr(pickers, "PICKER_LIMIT", 3)
        long = str(PartiesForm(initial={"parties": [partners[1]]}, organization=world.org))
    assert long.count('type="checkbox" name="parties"') == 1
    assert f'value="{partners[1].pk}" checked' in long
    assert 'type="search" name="parties_search"' in long and "Add a partner" in long


def test_the_indicator_field_refuses_strangers_and_labels_with_the_initiative(world):
    initiative = InitiativeFactory(organization=world.org, name="Ready by Five")
    ours = IndicatorFactory(initiative=initiative, name="Children read to daily")
    theirs = IndicatorFactory(initiative=InitiativeFactory(organization=world.other_org))

    class CoveredForm(forms.Form):
        indicators = IndicatorMultipleChoiceField(queryset=None, checkboxes=True)

    with scope(organization=world.org):
        form = CoveredForm(posted(indicators=[theirs.pk]))
        form.fields["indicators"].queryset = initiative.indicators.all()
        assert not form.is_valid()
        form = CoveredForm(posted(indicators=[ours.pk]))
        form.fields["indicators"].queryset = initiative.indicators.all()
        assert form.is_valid() and list(form.cleaned_data["indicators"]) == [ours]
        assert "Children read to daily (Ready by Five)" in str(form)


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_search_adds_no_one(world, text):
    PartnerFactory(organization=world.org)
    with scope(organization=world.org):
        form = PartiesForm(posted(parties_search=text), organization=world.org)
        assert form.is_valid() and list(form.cleaned_data["parties"]) == []
