"""A comment on a draft tells the staff; an adopted plan and an issued report card tell the
roundtable and the partner users of the initiative's partners, nobody else."""

import datetime

import pytest
from django_scopes import scope, scopes_disabled

from backbone.models import Notification
from plans.services import plan as services

from ..factories import MembershipFactory
from ..initiatives.factories import InitiativePartnerFactory
from ..stakeholders.factories import PartnerFactory, PartnerMembershipFactory
from .factories import draft_of, started_plan
from .test_report_card_drafting_and_issue import card, indicator, issue  # noqa: F401


def notes(kind):
    with scopes_disabled():
        return list(Notification.objects.filter(kind=kind).order_by("user_id"))


@pytest.fixture
def audience(world, initiative):
    """The world's partner reports for a partner of the initiative; another partner user's
    partner takes no part in it."""
    inside = PartnerFactory(organization=world.org, name="Riverside Food Bank")
    InitiativePartnerFactory(initiative=initiative, partner=inside)
    PartnerMembershipFactory(membership=world.membership(world.partner), partner=inside)
    outside = MembershipFactory(organization=world.org, role="partner")
    PartnerMembershipFactory(
        membership=outside, partner=PartnerFactory(organization=world.org, name="Elsewhere")
    )
    return sorted([world.partner.pk, world.roundtable.pk])


def test_a_roundtable_comment_on_a_draft_reaches_the_staff(world, initiative):
    version = draft_of(started_plan(initiative))
    with scope(organization=world.org):
        services.comment_add(
            version=version, section_key="budget", author=world.roundtable, body="Matching funds?"
        )
        services.comment_add(
            version=version, section_key="budget", author=world.coordinator, body="Yes."
        )
    comments = notes("draft_comment")
    # The roundtable's comment reaches both staff; the coordinator's own reaches the admin only.
    assert sorted(n.user_id for n in comments) == sorted(
        [world.admin.pk, world.coordinator.pk, world.admin.pk]
    )
    theirs = next(n for n in comments if n.user_id == world.coordinator.pk)
    assert world.roundtable.display_name in theirs.title
    assert theirs.url == f"/o/riverside/plans/versions/{version.pk}/#comment-budget"


def test_an_adopted_plan_reaches_the_roundtable_and_the_initiatives_partners(
    world, initiative, audience
):
    version = draft_of(started_plan(initiative))
    with scope(organization=world.org):
        services.section_update(version=version, key="executive_summary", body="We agree.")
        services.version_adopt(
            version=version,
            adopted_on=datetime.date(2027, 2, 1),
            adopted_by_body="Leadership roundtable",
            user=world.coordinator,
        )
    assert [n.user_id for n in notes("plan_adopted")] == audience


def test_an_issued_report_card_reaches_the_same_people(world, card, issue, audience):  # noqa: F811
    issue(card)
    issued = notes("report_card_issued")
    assert [n.user_id for n in issued] == audience
    assert issued[0].url == f"/o/riverside/plans/report-cards/{card.pk}/"
