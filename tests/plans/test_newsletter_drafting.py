import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.models import JobRun
from plans import tasks
from plans.models import Newsletter, NewsletterItem
from plans.services.newsletter import newsletter_draft_weekly

from ..stakeholders.factories import PartnerFactory

TORONTO = ZoneInfo("America/Toronto")
VANCOUVER = ZoneInfo("America/Vancouver")


def at(tz, *args):
    return dt.datetime(*args, tzinfo=tz)


@pytest.fixture(autouse=True)
def drafting_hour(clock):
    """A draft made without `now=` is made at the suite's clock, and only once the
    organization's day and hour (Monday 08:00 in Toronto) has come in its own zone:
    these tests run just after it, whatever hour the suite runs at."""
    clock.move_to(at(TORONTO, 2027, 3, 1, 9, 0))


def test_no_draft_before_the_chosen_hour_in_the_organizations_time_zone(world):
    # Monday 2027-03-01, default Monday 08:00.
    with scope(organization=world.org):
        assert (
            newsletter_draft_weekly(organization=world.org, now=at(TORONTO, 2027, 3, 1, 7, 59))
            is None
        )
        newsletter = newsletter_draft_weekly(
            organization=world.org, now=at(TORONTO, 2027, 3, 1, 8, 0)
        )
    assert newsletter.week_of == dt.date(2027, 3, 1)
    assert newsletter.drafted_by_job


def test_the_same_instant_is_due_in_toronto_but_not_yet_in_vancouver(world):
    world.other_org.time_zone = "America/Vancouver"
    world.other_org.save()
    instant = at(TORONTO, 2027, 3, 1, 9, 0)  # 06:00 in Vancouver
    with scope(organization=world.org):
        assert newsletter_draft_weekly(organization=world.org, now=instant) is not None
    with scope(organization=world.other_org):
        assert newsletter_draft_weekly(organization=world.other_org, now=instant) is None
        assert newsletter_draft_weekly(
            organization=world.other_org, now=at(VANCOUVER, 2027, 3, 1, 8, 0)
        )


def test_a_later_day_and_hour_chosen_by_the_organization_are_respected(world):
    world.org.newsletter_weekday = 3  # Thursday
    world.org.newsletter_hour = 16
    world.org.save()
    with scope(organization=world.org):
        assert (
            newsletter_draft_weekly(organization=world.org, now=at(TORONTO, 2027, 3, 4, 15, 30))
            is None
        )
        assert newsletter_draft_weekly(organization=world.org, now=at(TORONTO, 2027, 3, 4, 16, 5))


def test_drafting_twice_in_a_week_gives_the_same_issue_and_items(world):
    PartnerFactory(organization=world.org, name="Riverside Credit Union")
    with scope(organization=world.org):
        first = newsletter_draft_weekly(organization=world.org, now=at(TORONTO, 2027, 3, 1, 8, 0))
        second = newsletter_draft_weekly(organization=world.org, now=at(TORONTO, 2027, 3, 3, 12, 0))
        assert first.pk == second.pk
        assert Newsletter.objects.count() == 1


def test_the_draft_welcomes_partners_who_joined_since_the_last_issue_of_this_organization_only(
    world,
):
    with scopes_disabled():
        PartnerFactory(organization=world.org, name="Riverside Credit Union")
        PartnerFactory(organization=world.other_org, name="Northbay Rotary")
    with scope(organization=world.org):
        newsletter = newsletter_draft_weekly(organization=world.org)
        titles = list(newsletter.items.values_list("title", flat=True))
    assert titles == ["Welcome, Riverside Credit Union"]
    with scope(organization=world.org):
        assert newsletter.items.get().kind == NewsletterItem.Kind.PARTNER


def test_the_beat_entry_fans_out_one_job_per_organization(world, settings):
    tasks.dispatch_weekly_newsletters.delay()
    runs = JobRun.objects.filter(task_name="plans.draft_weekly_newsletter")
    assert {run.organization for run in runs} == {world.org, world.other_org}
    assert all(run.status == JobRun.Status.SUCCEEDED for run in runs)


def test_newly_approved_data_comes_with_its_chart_and_unapproved_data_does_not(world):
    from decimal import Decimal

    from measures.services import data_points_approve

    from ..measures.factories import DataPointFactory, IndicatorFactory

    indicator = IndicatorFactory(
        initiative__organization=world.org, name="Children ready for school", unit="percent"
    )
    waiting = IndicatorFactory(
        initiative=indicator.initiative, name="Families reached by home visits"
    )
    submitted = DataPointFactory(indicator=indicator, period="2027-Q1", value=Decimal("71"))
    DataPointFactory(indicator=waiting, period="2027-Q1", value=Decimal("40"))
    with scope(organization=world.org):
        data_points_approve(organization=world.org, ids=[submitted.pk], user=world.coordinator)
        newsletter = newsletter_draft_weekly(organization=world.org)
        items = list(newsletter.items.filter(kind=NewsletterItem.Kind.DATA))
    assert [item.title for item in items] == ["New data: Children ready for school"]
    assert "**71%**" in items[0].body or "**71 %**" in items[0].body
    assert items[0].chart_svg.startswith("<svg")


def test_an_initiative_entering_its_next_phase_is_a_milestone_but_moving_back_is_not(world):
    from initiatives.models import Phase, PhaseTransition

    from ..initiatives.factories import InitiativeFactory

    initiative = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    with scopes_disabled():
        for from_phase, to_phase, note in (
            (Phase.PRE_LAUNCH, Phase.INITIATE_ACTION, "The steering committee is formed."),
            (Phase.INITIATE_ACTION, Phase.PRE_LAUNCH, "Back to build more trust first."),
        ):
            PhaseTransition.objects.create(
                organization=world.org,
                initiative=initiative,
                from_phase=from_phase,
                to_phase=to_phase,
                note=note,
            )
    with scope(organization=world.org):
        newsletter = newsletter_draft_weekly(organization=world.org)
        milestones = list(newsletter.items.filter(kind=NewsletterItem.Kind.MILESTONE))
    assert [m.title for m in milestones] == [
        "Poverty Reduction Roundtable enters II. Initiate action"
    ]
    assert milestones[0].body == "The steering committee is formed."


def test_the_draft_tells_of_published_stories_events_and_commitments_of_the_week(world):
    import datetime as dt

    from ..initiatives.factories import (
        AttendanceFactory,
        CommitmentFactory,
        EngagementEventFactory,
        InitiativeFactory,
        StoryFactory,
    )

    now = timezone.now()
    initiative = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    StoryFactory(
        initiative=initiative,
        title="Maria's story",
        published=True,
        published_at=now - dt.timedelta(days=2),
    )
    StoryFactory(initiative=initiative, title="Not yet consented", published=False)
    StoryFactory(
        initiative=initiative,
        title="Old news",
        published=True,
        published_at=now - dt.timedelta(days=40),
    )
    held = EngagementEventFactory(
        initiative=initiative, title="Kitchen-table talk", starts_at=now - dt.timedelta(days=3)
    )
    AttendanceFactory.create_batch(3, event=held)
    EngagementEventFactory(
        initiative=initiative, title="Bus tour of Eastbank", starts_at=now + dt.timedelta(days=5)
    )
    EngagementEventFactory(
        initiative=initiative, title="Far away", starts_at=now + dt.timedelta(days=60)
    )
    CommitmentFactory(
        initiative=initiative,
        partner__name="Confluence Credit Union",
        signed_on=timezone.localdate(timezone=world.org.tzinfo),
    )
    with scope(organization=world.org):
        newsletter = newsletter_draft_weekly(organization=world.org)
        items = {item.title: item for item in newsletter.items.all()}
    assert set(items) == {
        "Maria's story",
        "Kitchen-table talk",
        "Bus tour of Eastbank",
        "Confluence Credit Union signs on to Poverty Reduction Roundtable",
        "Welcome, Confluence Credit Union",  # the partner itself is new this week too
    }
    assert items["Kitchen-table talk"].body.startswith("3 people came to")
    assert items["Bus tour of Eastbank"].body.startswith("Coming up:")
    assert items["Maria's story"].kind == NewsletterItem.Kind.STORY


def test_work_marked_done_this_week_is_told_once_and_undone_work_is_not(world):
    from initiatives import services as initiative_services
    from initiatives.models import ActionItem, Deliverable

    from ..initiatives.factories import ActionItemFactory, DeliverableFactory, InitiativeFactory

    initiative = InitiativeFactory(organization=world.org, name="Ready for School")
    deliverable = DeliverableFactory(initiative=initiative, title="Agree on a governance model")
    action = ActionItemFactory(
        initiative=initiative, title="Share the data sheet with every partner"
    )
    reopened = ActionItemFactory(initiative=initiative, title="Book the library for May")
    with scope(organization=world.org):
        initiative_services.deliverable_update(
            deliverable=Deliverable.objects.get(pk=deliverable.pk), status="done"
        )
        initiative_services.action_item_update(
            action_item=ActionItem.objects.get(pk=action.pk), status="done"
        )
        again = initiative_services.action_item_update(
            action_item=ActionItem.objects.get(pk=reopened.pk), status="done"
        )
        initiative_services.action_item_update(action_item=again, status="in_progress")
        newsletter = newsletter_draft_weekly(organization=world.org)
        titles = sorted(newsletter.items.values_list("title", flat=True))
        assert ActionItem.objects.get(pk=reopened.pk).completed_at is None
    assert titles == [
        "Done: Agree on a governance model",
        "Done: Share the data sheet with every partner",
    ]
