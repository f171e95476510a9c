"""The issue page's audience counts: one query, each person counted once even when they
match the audience in two ways (taking part themselves and through their partner)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from plans.selectors.newsletter import audience_counts, newsletter_audience
from stakeholders.models import ConsentStatus

from ..initiatives.factories import (
    InitiativeFactory,
    InitiativePartnerFactory,
    ParticipationFactory,
)
from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import ConsentingContactFactory, NewsletterFactory


def test_a_person_matching_twice_is_counted_once_and_the_count_is_one_query(world):
    initiative = InitiativeFactory(organization=world.org)
    partner = PartnerFactory(organization=world.org)
    InitiativePartnerFactory(initiative=initiative, partner=partner)
    both = ConsentingContactFactory(organization=world.org, partner=partner)
    ParticipationFactory(initiative=initiative, contact=both)
    ConsentingContactFactory(organization=world.org, partner=partner, email="")
    no_consent = ContactFactory(organization=world.org, consent=ConsentStatus.WITHDRAWN)
    ParticipationFactory(initiative=initiative, contact=no_consent)
    ConsentingContactFactory(organization=world.org)  # not of the initiative
    issue = NewsletterFactory(organization=world.org, audience_initiative=initiative)
    with scope(organization=world.org):
        with CaptureQueriesContext(connection) as queries:
            counts = audience_counts(issue)
        assert counts == {"recipients": 1, "excluded": 2}
        assert len(queries) == 1
        assert list(newsletter_audience(issue)) == [both]
        issue.audience_initiative = None
        assert audience_counts(issue) == {"recipients": 2, "excluded": 2}
