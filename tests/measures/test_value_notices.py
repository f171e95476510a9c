"""A returned value tells its partner's users why; a submitted one tells the staff."""

from django_scopes import scope, scopes_disabled

from backbone.models import Notification
from measures import services

from ..factories import MembershipFactory
from ..stakeholders.factories import PartnerMembershipFactory


def notes(kind):
    with scopes_disabled():
        return list(Notification.objects.filter(kind=kind).order_by("user_id", "pk"))


def submit(world, measures, value, **kwargs):
    return services.data_point_save(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period="2026-Q2",
        value=value,
        user=world.partner,
        submit=True,
        **kwargs,
    )


def test_a_returned_value_reaches_its_partners_users_with_the_reason(world, measures):
    colleague = MembershipFactory(organization=world.org, role="partner")
    PartnerMembershipFactory(membership=colleague, partner=measures.food_bank)
    other_partner = MembershipFactory(organization=world.org, role="partner")
    PartnerMembershipFactory(membership=other_partner, partner=measures.other)
    with scope(organization=world.org):
        point = submit(world, measures, "120")
        services.data_point_return(
            data_point=point, user=world.coordinator, reason="Count households, not people"
        )
    returned = notes("value_returned")
    assert sorted(n.user_id for n in returned) == sorted([world.partner.pk, colleague.user_id])
    note = returned[0]
    assert "Households using the food bank" in note.title
    assert "Count households, not people" in note.title
    assert note.url == (
        f"/o/riverside/measures/initiatives/{measures.initiative.pk}/enter/?period=2026-Q2"
    )


def test_each_return_of_a_corrected_value_is_a_new_event(world, measures):
    with scope(organization=world.org):
        point = submit(world, measures, "120")
        point = services.data_point_return(data_point=point, user=world.coordinator, reason="No")
        point = submit(world, measures, "118", expected_version=point.version)
        services.data_point_return(data_point=point, user=world.coordinator, reason="Still no")
    assert [n.title.split("— ")[-1] for n in notes("value_returned")] == ["No", "Still no"]


def test_a_submitted_value_reaches_the_staff_and_a_draft_does_not(world, measures):
    with scope(organization=world.org):
        services.data_point_save(
            indicator=measures.indicator,
            partner=measures.food_bank,
            period="2026-Q2",
            value="5",
            user=world.partner,
        )
        assert notes("values_submitted") == []
        submit(world, measures, "120")
    submitted = notes("values_submitted")
    assert sorted(n.user_id for n in submitted) == sorted([world.admin.pk, world.coordinator.pk])
    assert submitted[0].title.startswith("Riverside Food Bank submitted Households")
    assert submitted[0].url == "/o/riverside/measures/approvals/"
