"""Run inside a subprocess against the two-nodes test's own database (see nodes.py):
builds an organization with a roundtable member, a draft plan and 2,000 consenting
contacts, and prints what the test needs as JSON."""

import json
import sys

import django


def build(recipients: int) -> dict:
    from django.test import Client  # imported after django.setup(): this runs as a script
    from django_scopes import scope, scopes_disabled

    from backbone.models import Role
    from plans.models import Newsletter
    from plans.services import plan as plan_services
    from stakeholders.models import ConsentStatus, Contact
    from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
    from tests.initiatives.factories import InitiativeFactory
    from tests.plans.factories import NewsletterFactory, draft_of, started_plan

    organization = OrganizationFactory(name="Two Nodes", slug="two-nodes")
    member = UserFactory(email="roundtable@two-nodes.example")
    MembershipFactory(user=member, organization=organization, role=Role.ROUNDTABLE)
    version = draft_of(started_plan(InitiativeFactory(organization=organization, name="Nodes")))
    with scope(organization=organization):
        plan_services.section_update(version=version, key="change", body="Shared by two nodes.")
    with scopes_disabled():
        Contact.objects.bulk_create(
            Contact(
                organization=organization,
                first_name="Reader",
                last_name=str(n),
                email=f"reader{n}@two-nodes.example",
                consent=ConsentStatus.GIVEN,
            )
            for n in range(recipients)
        )
        newsletters = [
            NewsletterFactory(organization=organization, subject=f"Issue {n}").pk for n in (1, 2)
        ]
        assert Newsletter.objects.filter(pk__in=newsletters).count() == 2
    client = Client()
    client.force_login(member)
    return {
        "slug": organization.slug,
        "organization_id": organization.pk,
        "version_id": version.pk,
        "session": client.cookies["sessionid"].value,
        "newsletters": newsletters,
    }


def start_sending(newsletter_id: int) -> int:
    from django_scopes import scope, scopes_disabled  # after django.setup(): run as a script

    from plans.models import Newsletter
    from plans.services.newsletter import newsletter_send_now

    with scopes_disabled():
        newsletter = Newsletter.objects.select_related("organization").get(pk=newsletter_id)
    with scope(organization=newsletter.organization):
        count, started = newsletter_send_now(newsletter=newsletter, user=None)
    assert started
    return count


if __name__ == "__main__":
    django.setup()
    command, value = sys.argv[1], int(sys.argv[2])
    result = build(value) if command == "build" else start_sending(value)
    print(json.dumps(result))
