import datetime
from decimal import Decimal

from django.urls import reverse
from django_scopes import scope

from measures import services
from measures.selectors import owed_by

from .factories import DataPointFactory


def keys(owed):
    return [(o.partner.name, o.period.key, o.due.isoformat(), o.overdue) for o in owed]


def test_what_a_partner_owes_runs_from_the_start_to_the_last_ended_period(world, measures):
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2025-Q1", value=Decimal(1)
    )
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2025-Q2", status="draft"
    )
    with scope(organization=world.org):
        services.data_request_except(
            indicator=measures.indicator, partner=measures.food_bank, period="2025-Q3"
        )
        owed = owed_by(
            [measures.food_bank], organization_id=world.org.pk, today=datetime.date(2025, 12, 15)
        )
    # Q1 is submitted, Q3 is excused, Q4 has not ended yet.
    assert [(p, k, due) for p, k, due, _ in keys(owed)] == [
        ("Riverside Food Bank", "2025-Q2", "2025-07-30"),
    ]


def test_the_coordinator_sees_data_due_from_every_partner(world, measures, login):
    page = login(world.coordinator).get(
        reverse("measures:index", kwargs={"org_slug": world.org.slug})
    )
    content = page.content.decode()
    assert "Data due and overdue" in content
    assert "City of Riverside Social Services" in content and "Riverside Food Bank" in content
    assert "Overdue" in content


def test_overdue_is_judged_on_the_day_the_list_was_read_not_the_machines(world, measures):
    # Q2 2025 ends on 30 June and is due 30 days later, on 30 July.
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2025-Q1", value=Decimal(1)
    )
    with scope(organization=world.org):
        on_the_day, day_after = (
            {
                o.period.key: o.overdue
                for o in owed_by(
                    [measures.food_bank], organization_id=world.org.pk, today=datetime.date(*day)
                )
            }
            for day in ((2025, 7, 30), (2025, 7, 31))
        )
    assert on_the_day == {"2025-Q2": False}
    assert day_after == {"2025-Q2": True}
