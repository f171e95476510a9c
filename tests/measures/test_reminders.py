import datetime as dt
from zoneinfo import ZoneInfo

from django.core import mail
from django_scopes import scope, scopes_disabled

from backbone.models import JobRun, Role
from backbone.notifications import notifications_mail
from measures import tasks
from measures.models import ReminderSent
from measures.reminders import reminders_run

from ..factories import MembershipFactory, UserFactory
from ..stakeholders.factories import PartnerFactory, PartnerMembershipFactory
from .factories import DataPointFactory, DataRequestFactory, IndicatorFactory

TORONTO = ZoneInfo("America/Toronto")
# Friday 2025-07-25, 09:00 in Riverside: 2025-Q1 (due April 30) is overdue,
# 2025-Q2 (due July 30) is due within a week.
FRIDAY_MORNING = dt.datetime(2025, 7, 25, 9, 0, tzinfo=TORONTO)


def run(world, now=FRIDAY_MORNING):
    """The reminders job, then the notification mailer at the same hour (their daily digest)."""
    with scope(organization=world.org):
        counts = reminders_run(organization=world.org, now=now)
    notifications_mail(organization=world.org, now=now)
    return counts


def test_a_partner_user_gets_one_digest_of_what_is_overdue_and_due_soon(world, measures):
    assert run(world)["partners"] == 1
    [message] = mail.outbox
    assert message.to == [world.partner.email]
    assert message.subject == "Riverside Collective: 2 things to know today"
    lines = message.body.splitlines()
    overdue = next(line for line in lines if "2025-Q1" in line)
    soon = next(line for line in lines if "2025-Q2" in line)
    assert "Riverside Food Bank owes Households using the food bank" in overdue
    assert "overdue, was due" in overdue and "overdue" not in soon
    assert "City of Riverside" not in message.body  # the other partner's requests are not theirs
    assert "/o/riverside/measures/initiatives/" in message.body


def test_the_same_request_is_never_reminded_twice_on_the_same_day(world, measures):
    run(world)
    run(world, now=FRIDAY_MORNING + dt.timedelta(hours=5))
    assert len(mail.outbox) == 1
    run(world, now=FRIDAY_MORNING + dt.timedelta(days=1))
    assert len(mail.outbox) == 2
    with scopes_disabled():
        assert ReminderSent.objects.filter(sent_on=dt.date(2025, 7, 25)).count() == 2


def test_submitted_data_is_no_longer_owed(world, measures):
    DataPointFactory(indicator=measures.indicator, partner=measures.food_bank, period="2025-Q1")
    run(world)
    [message] = mail.outbox
    assert "2025-Q1" not in message.body
    assert "1 thing to know today" in message.subject and "2025-Q2" in message.body


def test_nothing_goes_out_before_the_morning_in_the_organizations_time_zone(world, measures):
    assert run(world, now=dt.datetime(2025, 7, 25, 6, 30, tzinfo=TORONTO)) == {
        "partners": 0,
        "coordinators": 0,
    }
    assert mail.outbox == []


def test_partner_users_of_another_organization_are_not_mailed_by_this_one(world, measures):
    indicator = IndicatorFactory(
        organization=world.other_org, initiative__organization=world.other_org
    )
    partner = PartnerFactory(organization=world.other_org)
    DataRequestFactory(indicator=indicator, partner=partner)
    outsider = MembershipFactory(organization=world.other_org, role=Role.PARTNER)
    PartnerMembershipFactory(membership=outsider, partner=partner)
    run(world)
    assert [m.to for m in mail.outbox] == [[world.partner.email]]


def test_coordinators_get_a_weekly_summary_of_who_is_late(world, measures):
    monday = dt.datetime(2025, 7, 28, 8, 0, tzinfo=TORONTO)
    counts = run(world, now=monday)
    assert counts["coordinators"] == 2  # the admin and the coordinator
    summaries = [m for m in mail.outbox if m.subject.startswith("Who is late")]
    assert sorted(m.to[0] for m in summaries) == sorted(
        [world.admin.email, world.coordinator.email]
    )
    assert (
        "Riverside Food Bank" in summaries[0].body
        and "City of Riverside Social Services" in summaries[0].body
    )
    run(world, now=monday + dt.timedelta(hours=3))
    assert len([m for m in mail.outbox if m.subject.startswith("Who is late")]) == 2


def test_the_hourly_beat_entry_runs_one_job_per_organization(world, measures):
    UserFactory()  # not a member anywhere: nothing to do with them
    tasks.dispatch_data_reminders.delay()
    runs = JobRun.objects.filter(task_name="measures.send_data_reminders")
    assert {run.organization for run in runs} == {world.org, world.other_org}
    assert all(run.status == JobRun.Status.SUCCEEDED for run in runs)


def test_each_person_gets_their_reminders_and_summary_in_their_own_language(world, measures):
    for user in (world.partner, world.coordinator):
        user.language = "fr"
        user.save(update_fields=["language"])
    run(world, now=dt.datetime(2025, 7, 28, 8, 0, tzinfo=TORONTO))
    language = {m.to[0]: m.extra_headers["Content-Language"] for m in mail.outbox}
    assert language == {
        world.partner.email: "fr",  # the data-due digest
        world.coordinator.email: "fr",  # the weekly summary
        world.admin.email: "en",  # chose nothing: the organization's
    }
