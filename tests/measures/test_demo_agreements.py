"""The demo's agreements, data-sharing rule and revised indicator (issue 15)."""

import datetime

from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from backbone.models import Membership, Role
from measures.definitions import data_point_definitions
from measures.models import Agreement, Indicator, IndicatorDefinition
from measures.sharing import partner_values, uncovered_requests
from plans.models import ReportCard


def test_the_demo_hides_one_partners_values_and_keeps_an_old_definition(db):
    call_command("seed_demo")
    with scopes_disabled():
        counts = (Agreement.objects.count(), IndicatorDefinition.objects.count())
        insecurity = Indicator.objects.get(
            organization__slug="riverside", name="Residents reporting food insecurity"
        )
        values = partner_values({insecurity.pk: "2025"}, public=True)[insecurity.pk]
        assert [p.name for p, _v in values.shown] == ["Riverside Public Health"]
        assert values.hidden == 1  # the Community Foundation signed nothing
        flagged = {(u.indicator_name, u.partner_name) for u in uncovered_requests([insecurity])}
        assert flagged == {
            ("Residents reporting food insecurity", "Riverside Community Foundation")
        }
        today = timezone.localdate(timezone=insecurity.organization.tzinfo)
        assert Agreement.objects.filter(
            expires_on__gt=today, expires_on__lte=today + datetime.timedelta(days=60)
        ).exists()
        assert all(a.document for a in Agreement.objects.all())
        food_bank = Indicator.objects.get(name="Households using the food bank each month")
        points = list(food_bank.data_points.filter(cell="").order_by("period"))
        versions = data_point_definitions(food_bank, points)
        assert [v.number for v in versions] == [1, 2]
        assert {p.definition.number for p in points} == {1, 2}
        card = ReportCard.objects.get(initiative=insecurity.initiative, period="2025")
        assert card.status == ReportCard.Status.ISSUED
        row = next(r for r in card.snapshot["indicators"] if r["name"] == insecurity.name)
        assert row["partners_hidden"] == 1
        assert [name for name, _value in row["by_partner"]] == ["Riverside Public Health"]
        coordinator = Membership.objects.filter(
            organization__slug="riverside", role=Role.COORDINATOR
        ).first()
    client = Client()
    client.force_login(coordinator.user)
    page = client.get(f"/o/riverside/measures/indicators/{food_bank.pk}/").content.decode()
    history = page[page.index('id="definition-history"') :]
    assert "Version 2" in history and "Version 1" in history
    call_command("seed_demo")
    with scopes_disabled():
        assert (Agreement.objects.count(), IndicatorDefinition.objects.count()) == counts
