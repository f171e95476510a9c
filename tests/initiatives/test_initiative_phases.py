import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from initiatives import services
from initiatives.defaults import DELIVERABLES, READINESS_ITEMS
from initiatives.models import Component, Phase, PhaseTransition, ReadinessItem


@pytest.fixture
def initiative(world):
    with scope(organization=world.org):
        return services.initiative_create(
            organization=world.org,
            name="Poverty Reduction Roundtable 2027",
            issue="One in six households lives in poverty",
            start_date=datetime.date(2027, 1, 15),
        )


def tick_phase(initiative, phase, by=None):
    for item in ReadinessItem.objects.filter(initiative=initiative, phase=phase):
        services.readiness_item_tick(item=item, by=by)


def test_a_new_initiative_starts_in_pre_launch_with_the_seed_matrix_and_five_deliverables(
    world, initiative
):
    with scope(organization=world.org):
        assert initiative.phase == Phase.PRE_LAUNCH
        cells = {
            (item.phase, item.component)
            for item in ReadinessItem.objects.filter(initiative=initiative)
        }
        assert cells == {(p, c) for p in Phase.values for c in Component.values}
        assert ReadinessItem.objects.filter(initiative=initiative).count() == sum(
            len(texts) for texts in READINESS_ITEMS.values()
        )
        assert ReadinessItem.objects.filter(
            initiative=initiative,
            phase=Phase.INITIATE_ACTION,
            component=Component.GOVERNANCE,
            text="Form a cross-sector steering committee",
        ).exists()
        titles = list(initiative.deliverables.values_list("title", flat=True))
        assert titles == [str(t) for t in DELIVERABLES]
        assert titles[0] == "Build community will to address the issue"
        assert {d.due_date for d in initiative.deliverables.all()} == {datetime.date(2028, 1, 15)}


def test_advancing_with_every_item_ticked_records_a_transition_with_nothing_open(world, initiative):
    with scope(organization=world.org):
        tick_phase(initiative, Phase.PRE_LAUNCH, by=world.coordinator)
        transition = services.initiative_change_phase(
            initiative=initiative,
            to_phase=Phase.INITIATE_ACTION,
            by=world.coordinator,
            note="Consensus and urgency are there.",
        )
        initiative.refresh_from_db()
        assert initiative.phase == Phase.INITIATE_ACTION
        assert (transition.from_phase, transition.to_phase) == (
            Phase.PRE_LAUNCH,
            Phase.INITIATE_ACTION,
        )
        assert transition.by == world.coordinator
        assert transition.note == "Consensus and urgency are there."
        assert transition.open_items == []
        assert not transition.is_backward


def test_skipping_a_phase_is_refused_and_changes_nothing(world, initiative):
    with scope(organization=world.org):
        tick_phase(initiative, Phase.PRE_LAUNCH)
        with pytest.raises(ValidationError) as caught:
            services.initiative_change_phase(
                initiative=initiative, to_phase=Phase.ORGANIZE_FOR_IMPACT, by=world.coordinator
            )
        assert "can't be skipped" in caught.value.message_dict["to_phase"][0]
        assert "II. Initiate action" in caught.value.message_dict["to_phase"][0]
        initiative.refresh_from_db()
        assert initiative.phase == Phase.PRE_LAUNCH
        assert not PhaseTransition.objects.exists()


def test_advancing_with_open_items_needs_confirmation_and_records_them(world, initiative):
    with scope(organization=world.org):
        done = ReadinessItem.objects.filter(initiative=initiative, phase=Phase.PRE_LAUNCH).first()
        services.readiness_item_tick(item=done, by=world.coordinator)
        open_count = (
            ReadinessItem.objects.filter(initiative=initiative, phase=Phase.PRE_LAUNCH).count() - 1
        )
        with pytest.raises(services.OpenItemsNotConfirmed) as caught:
            services.initiative_change_phase(
                initiative=initiative, to_phase=Phase.INITIATE_ACTION, by=world.coordinator
            )
        assert len(caught.value.open_items) == open_count
        assert f"{open_count} readiness items" in caught.value.message_dict["confirm"][0]
        initiative.refresh_from_db()
        assert initiative.phase == Phase.PRE_LAUNCH

        transition = services.initiative_change_phase(
            initiative=initiative,
            to_phase=Phase.INITIATE_ACTION,
            by=world.coordinator,
            confirm_open_items=True,
        )
        recorded = {item["text"] for item in transition.open_items}
        assert len(recorded) == open_count
        assert done.text not in recorded


def test_moving_back_needs_a_reason(world, initiative):
    with scope(organization=world.org):
        tick_phase(initiative, Phase.PRE_LAUNCH)
        services.initiative_change_phase(
            initiative=initiative, to_phase=Phase.INITIATE_ACTION, by=world.coordinator
        )
        with pytest.raises(ValidationError) as caught:
            services.initiative_change_phase(
                initiative=initiative, to_phase=Phase.PRE_LAUNCH, by=world.coordinator, note="  "
            )
        assert caught.value.message_dict["note"] == ["Say why the initiative moves back a phase."]

        back = services.initiative_change_phase(
            initiative=initiative,
            to_phase=Phase.PRE_LAUNCH,
            by=world.coordinator,
            note="The steering committee fell apart; we rebuild the core team.",
        )
        assert back.is_backward
        assert back.open_items == []
        initiative.refresh_from_db()
        assert initiative.phase == Phase.PRE_LAUNCH
        assert PhaseTransition.objects.filter(initiative=initiative).count() == 2


def test_moving_to_the_current_phase_is_refused(world, initiative):
    with scope(organization=world.org), pytest.raises(ValidationError) as caught:
        services.initiative_change_phase(
            initiative=initiative, to_phase=Phase.PRE_LAUNCH, by=world.coordinator
        )
    assert caught.value.message_dict["to_phase"] == ["The initiative is already in this phase."]


def test_saving_details_from_a_stale_copy_keeps_the_phase(world, initiative):
    with scope(organization=world.org):
        stale = type(initiative).objects.get(pk=initiative.pk)
        tick_phase(initiative, Phase.PRE_LAUNCH)
        services.initiative_change_phase(
            initiative=initiative, to_phase=Phase.INITIATE_ACTION, by=world.coordinator
        )
        assert initiative.phase == Phase.INITIATE_ACTION  # the caller's copy follows
        services.initiative_update(initiative=stale, name="Renamed roundtable")
        initiative.refresh_from_db()
    assert (initiative.name, initiative.phase) == ("Renamed roundtable", Phase.INITIATE_ACTION)


def test_an_archived_initiative_keeps_its_phase(world, initiative):
    with scope(organization=world.org):
        services.initiative_archive(initiative=initiative)
        with pytest.raises(ValidationError) as caught:
            services.initiative_change_phase(
                initiative=initiative,
                to_phase=Phase.INITIATE_ACTION,
                by=world.coordinator,
                confirm_open_items=True,
            )
    assert caught.value.message_dict["to_phase"] == [
        "Restore the initiative before changing its phase."
    ]
