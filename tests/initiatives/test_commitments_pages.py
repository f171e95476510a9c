"""The commitments page: partners signing on, renewals coming up, and its queries."""

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from initiatives.models import Commitment

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import CommitmentFactory, FeedbackSurveyFactory
from .helpers import assert_refused, assert_same_queries_for_few_and_many, url


def test_coordinator_records_a_commitment(world, login, initiative):
    partner = PartnerFactory(organization=world.org, name="City of Riverside")
    signer = ContactFactory(organization=world.org, partner=partner)
    response = login(world.coordinator).post(
        url("commitments", world.org, initiative_id=initiative.pk),
        {
            "partner": partner.pk,
            "role": "partner",
            "signed_by": signer.pk,
            "signed_on": "2027-03-01",
            "renewal_on": "2028-03-01",
            "money": "25000",
            "staff_hours": "8",
            "in_kind": "Meeting room at City Hall",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        commitment = Commitment.objects.get(initiative=initiative)
    assert str(commitment.money) == "25000.00"


def test_a_signer_of_another_partner_is_refused_next_to_the_field(world, login, initiative):
    partner = PartnerFactory(organization=world.org)
    response = login(world.coordinator).post(
        url("commitments", world.org, initiative_id=initiative.pk),
        {
            "partner": partner.pk,
            "role": "partner",
            "signed_by": ContactFactory(
                organization=world.org, partner=PartnerFactory(organization=world.org)
            ).pk,
            "signed_on": "2027-03-01",
        },
    )
    assert_refused(response, "The person who signs must work at")


def test_commitments_list_takes_the_same_queries_for_few_and_many(world, login, initiative):
    client = login(world.coordinator)
    path = url("commitments", world.org, initiative_id=initiative.pk)
    assert_same_queries_for_few_and_many(
        client, path, lambda: FeedbackSurveyFactory(commitment__initiative=initiative)
    )


def test_a_renewal_in_the_coming_month_is_flagged(world, login, initiative):
    CommitmentFactory(
        initiative=initiative,
        partner__name="Soon Partner",
        renewal_on=timezone.localdate(timezone=world.org.tzinfo) + datetime.timedelta(days=10),
    )
    CommitmentFactory(
        initiative=initiative,
        partner__name="Later Partner",
        renewal_on=timezone.localdate(timezone=world.org.tzinfo) + datetime.timedelta(days=200),
    )
    text = login(world.roundtable).get(url("commitments", world.org, initiative_id=initiative.pk))
    rows = text.content.decode().split("<tr>")
    soon = next(r for r in rows if "Soon Partner" in r)
    later = next(r for r in rows if "Later Partner" in r)
    assert "Renewal due" in soon and "Renewal due" not in later
