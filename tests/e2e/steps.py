"""Steps that more than one browser test takes."""

import datetime
from decimal import Decimal

from django_scopes import scopes_disabled

from backbone.models import Organization, Role
from measures.models import DataPoint
from tests.factories import MembershipFactory, UserFactory
from tests.initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from tests.measures.factories import DataPointFactory, DataRequestFactory, IndicatorFactory
from tests.stakeholders.factories import PartnerFactory, PartnerMembershipFactory


def sign_up(page, email: str, first_name: str, password: str, last_name: str = "") -> None:
    """Fill allauth's sign-up form (it asks for a name) and send it."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("First name").fill(first_name)
    if last_name:
        page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_role("button", name="Sign Up").click()


def hampers_by_age(slug: str = "riverside"):
    """Riverside's food bank, asked for hampers given (a total and two age groups) since
    2025, with Priya as its partner user: (initiative, indicator)."""
    with scopes_disabled():
        org = Organization.objects.create(name="Riverside Collective", slug=slug)
        initiative = InitiativeFactory(
            organization=org, name="Food Security", start_date=datetime.date(2025, 1, 15)
        )
        food_bank = PartnerFactory(organization=org, name="Riverside Food Bank")
        InitiativePartnerFactory(initiative=initiative, partner=food_bank)
        indicator = IndicatorFactory(
            initiative=initiative,
            name="Hampers given",
            disaggregation={"Age group": ["0–17", "18+"]},
        )
        DataRequestFactory(indicator=indicator, partner=food_bank)
        priya = UserFactory(email="priya@riversidefoodbank.test")
        PartnerMembershipFactory(
            membership=MembershipFactory(user=priya, organization=org, role=Role.PARTNER),
            partner=food_bank,
        )
    return initiative, indicator


def food_bank_owing_2026_q3(*names: str):
    """Riverside's food bank in its Food Security initiative, asked for these indicators for
    2026-Q3, each with 1,000 approved for 2026-Q2: (organization, food bank, indicators)."""
    with scopes_disabled():
        org = Organization.objects.create(name="Riverside Collective", slug="riverside")
        initiative = InitiativeFactory(
            organization=org, name="Food Security", start_date=datetime.date(2025, 1, 15)
        )
        food_bank = PartnerFactory(organization=org, name="Riverside Food Bank")
        InitiativePartnerFactory(initiative=initiative, partner=food_bank)
        indicators = []
        for name in names:
            indicator = IndicatorFactory(initiative=initiative, name=name)
            DataRequestFactory(indicator=indicator, partner=food_bank, period="2026-Q3")
            DataPointFactory(
                indicator=indicator, partner=food_bank, period="2026-Q2",
                value=Decimal("1000"), status=DataPoint.Status.APPROVED,
            )  # fmt: skip
            indicators.append(indicator)
    return org, food_bank, indicators
