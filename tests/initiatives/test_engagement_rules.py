"""The rules of engagement, reached without HTTP: participation and its history, attendance
in the timeline, walk-ins through the registry, commitments, surveys, stories and consent."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.markdown import render_markdown
from initiatives import engagement_services as services
from initiatives.engagement_selectors import (
    PeopleFilters,
    community_will,
    is_community_will,
    people_view_for,
    system_map,
)
from initiatives.engagement_selectors import participants as participants_of
from initiatives.models import (
    Attendance,
    Deliverable,
    EngagementLevel,
    FeedbackSurvey,
    LevelChange,
    ParticipantRole,
)
from stakeholders.models import ConsentStatus, Contact, Interaction, InteractionKind, Sector

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import (
    CommitmentFactory,
    EngagementEventFactory,
    FeedbackSurveyFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
    ParticipationFactory,
    StoryFactory,
    StoryFeatureFactory,
)


@pytest.fixture
def initiative(world):
    return InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable 2027")


def test_a_person_takes_part_in_several_roles_and_their_level_history_is_kept(world, initiative):
    contact = ContactFactory(organization=world.org, first_name="Amira")
    with scope(organization=world.org):
        participation = services.participation_add(
            initiative=initiative,
            contact=contact,
            roles=[ParticipantRole.CHAMPION, ParticipantRole.ROUNDTABLE],
            level=EngagementLevel.CONSULT,
        )
        services.participation_update(
            participation=participation,
            roles=[ParticipantRole.ROUNDTABLE, ParticipantRole.AMBASSADOR],
            level=EngagementLevel.COLLABORATE,
        )
        participation.refresh_from_db()
        roles = sorted(participation.roles.values_list("role", flat=True))
        history = list(
            LevelChange.objects.filter(participation=participation)
            .order_by("at", "id")
            .values_list("from_level", "to_level")
        )
    assert roles == ["ambassador", "roundtable"]
    assert participation.level == EngagementLevel.COLLABORATE
    assert history == [("", "consult"), ("consult", "collaborate")]


def test_adding_a_person_twice_keeps_one_participation(world, initiative):
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        first = services.participation_add(initiative=initiative, contact=contact, roles=[])
        second = services.participation_add(
            initiative=initiative, contact=contact, roles=["volunteer"]
        )
        assert first.pk == second.pk
        assert initiative.participations.count() == 1


def test_a_contact_of_another_organization_cannot_take_part(world, initiative):
    stranger = ContactFactory(organization=world.other_org)
    with scopes_disabled(), pytest.raises(ValidationError):
        services.participation_add(initiative=initiative, contact=stranger, roles=[])


def test_people_filter_by_role_level_sector_and_lived_experience(world, initiative):
    lived = ContactFactory(
        organization=world.org, first_name="Rosa", sector=Sector.COMMUNITY, lived_experience=True
    )
    banker = ContactFactory(organization=world.org, first_name="Bill", sector=Sector.BUSINESS)
    with scope(organization=world.org):
        services.participation_add(
            initiative=initiative, contact=lived, roles=["champion"], level="empower"
        )
        services.participation_add(
            initiative=initiative, contact=banker, roles=["work_group"], level="inform"
        )
        view = people_view_for(world.membership(world.coordinator))

        def names(**kw):
            return [
                p.contact.first_name for p in participants_of(initiative, view, PeopleFilters(**kw))
            ]

        assert names(role="champion") == ["Rosa"]
        assert names(level="inform") == ["Bill"]
        assert names(sector="business") == ["Bill"]
        assert names(lived_experience=True) == ["Rosa"]
        assert names(q="ros") == ["Rosa"]


def test_recording_attendance_writes_the_timeline_once(world, initiative):
    event = EngagementEventFactory(initiative=initiative, title="Conversation at the library")
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        services.attendance_record(event=event, contact=contact)
        services.attendance_record(event=event, contact=contact)
        entries = list(Interaction.objects.filter(contact=contact))
        assert Attendance.objects.filter(event=event).count() == 1
    assert len(entries) == 1
    assert entries[0].kind == InteractionKind.EVENT
    assert "Conversation at the library" in entries[0].summary
    assert entries[0].occurred_at == event.starts_at


def test_a_walk_in_becomes_a_contact_with_consent_and_the_wording_shown(world, initiative):
    event = EngagementEventFactory(initiative=initiative)
    with scope(organization=world.org):
        attendance = services.walk_in_record(
            event=event,
            first_name="Noor",
            last_name="Haddad",
            email="Noor@Example.org",
            sector=Sector.COMMUNITY,
            lived_experience=True,
            consent=True,
        )
        contact = Contact.objects.get(pk=attendance.contact_id)
        record = contact.consent_records.get()
    assert attendance.walk_in
    assert contact.email == "noor@example.org"
    assert contact.lived_experience
    assert contact.consent == ConsentStatus.GIVEN
    assert record.source == "event"
    assert record.wording == str(services.WALK_IN_CONSENT_WORDING)


def test_a_walk_in_with_a_known_email_is_the_existing_contact(world, initiative):
    existing = ContactFactory(organization=world.org, email="sam@example.org")
    event = EngagementEventFactory(initiative=initiative)
    with scope(organization=world.org):
        attendance = services.walk_in_record(
            event=event, first_name="Sam", email="SAM@example.org", sector=Sector.OTHER
        )
        assert Contact.objects.filter(organization=world.org).count() == 1
    assert attendance.contact_id == existing.pk


def test_a_walk_in_cannot_consent_without_an_email_and_nothing_is_saved(world, initiative):
    event = EngagementEventFactory(initiative=initiative)
    with scope(organization=world.org):
        with pytest.raises(ValidationError):
            services.walk_in_record(
                event=event, first_name="Kim", sector=Sector.OTHER, consent=True
            )
        assert not Contact.objects.filter(organization=world.org).exists()
        assert not Attendance.objects.exists()


def test_community_will_counts_people_sectors_and_events_held(world, initiative):
    past = EngagementEventFactory(initiative=initiative)
    other_past = EngagementEventFactory(initiative=initiative)
    future = EngagementEventFactory(
        initiative=initiative, starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    a = ContactFactory(organization=world.org, sector=Sector.HEALTH)
    b = ContactFactory(organization=world.org, sector=Sector.FAITH)
    c = ContactFactory(organization=world.org, sector=Sector.FAITH)
    with scope(organization=world.org):
        for event, contact in [(past, a), (past, b), (other_past, a), (future, c)]:
            services.attendance_record(event=event, contact=contact)
        will = community_will(initiative)
    assert (will.events_held, will.events_planned) == (2, 1)
    assert will.people_engaged == 2  # a and b; c's event has not happened yet
    assert will.sectors_reached == 2


def test_the_first_seeded_deliverable_is_the_community_will(world, initiative):
    will = Deliverable(title="Build community will to address the issue")
    plan = Deliverable(title="Draft a plan: common agenda and shared measurement")
    assert is_community_will(will)
    assert not is_community_will(plan)


def test_system_map_shows_gaps_and_who_is_at_the_table(world, initiative):
    health = PartnerFactory(organization=world.org, name="Riverside Health", sector=Sector.HEALTH)
    InitiativePartnerFactory(initiative=initiative, partner=health)
    nurse = ContactFactory(
        organization=world.org, first_name="Nell", partner=health, sector=Sector.HEALTH
    )
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, first_name="Gus", sector=Sector.GOVERNMENT),
        level=EngagementLevel.INVOLVE,
    )
    with scope(organization=world.org):
        staff_map = system_map(initiative, people_view_for(world.membership(world.coordinator)))
    rows = {row.sector: row for row in staff_map.rows}
    assert rows["health"].partners == ["Riverside Health"]
    assert rows["health"].partner_staff.names == [nurse.full_name]
    involve = [v for v, _l in staff_map.levels].index("involve")
    assert rows["government"].cells[involve].count == 1
    assert {row.sector for row in staff_map.gaps} == set(Sector.values) - {"health", "government"}
    assert staff_map.lived_experience == 0


def test_partner_users_see_counts_but_only_their_own_partners_names_on_the_map(world, initiative):
    from ..stakeholders.factories import PartnerMembershipFactory

    mine = PartnerFactory(organization=world.org, sector=Sector.NON_PROFIT)
    PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org, partner=mine
    )
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(
            organization=world.org, first_name="Mine", partner=mine, sector=Sector.NON_PROFIT
        ),
    )
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(
            organization=world.org, first_name="Other", sector=Sector.NON_PROFIT
        ),
    )
    with scope(organization=world.org):
        partner_map = system_map(initiative, people_view_for(world.membership(world.partner)))
    row = next(r for r in partner_map.rows if r.sector == "non_profit")
    assert row.cells[0].count == 2
    assert [n.split()[0] for n in row.cells[0].names] == ["Mine"]


def test_a_commitment_is_signed_by_someone_of_that_partner_and_written_in_their_timeline(
    world, initiative
):
    partner = PartnerFactory(organization=world.org, name="United Way Riverside")
    signer = ContactFactory(organization=world.org, partner=partner)
    outsider = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        with pytest.raises(ValidationError) as refused:
            services.commitment_create(
                initiative=initiative,
                partner=partner,
                signed_by=outsider,
                signed_on=datetime.date(2027, 3, 1),
                role="funder",
            )
        assert "signed_by" in refused.value.error_dict
        commitment = services.commitment_create(
            initiative=initiative,
            partner=partner,
            signed_by=signer,
            signed_on=datetime.date(2027, 3, 1),
            role="funder",
        )
        entry = Interaction.objects.get(contact=signer)
    assert entry.kind == InteractionKind.COMMITMENT
    assert entry.key == f"commitment:{commitment.pk}:signed"
    assert "United Way Riverside" in entry.summary


def test_a_renewal_before_the_signature_is_refused(world, initiative):
    commitment = CommitmentFactory(initiative=initiative)
    with scope(organization=world.org), pytest.raises(ValidationError):
        services.commitment_create(
            initiative=initiative,
            partner=commitment.partner,
            signed_by=commitment.signed_by,
            signed_on=datetime.date(2027, 3, 1),
            renewal_on=datetime.date(2027, 1, 1),
            role="partner",
        )


def test_a_survey_goes_only_to_a_signer_with_an_email(world, initiative):
    commitment = CommitmentFactory(initiative=initiative, signed_by__email="lee@unitedway.example")
    with scope(organization=world.org):
        with pytest.raises(ValidationError):
            services.survey_send(
                commitment=CommitmentFactory(initiative=initiative, signed_by__email="")
            )
        survey = services.survey_send(commitment=commitment)
        assert FeedbackSurvey.objects.filter(commitment__signed_by__email="").count() == 0
    assert survey.sent_to_id == commitment.signed_by_id
    assert len(survey.token) >= 40


def test_survey_task_sends_the_link(world, initiative, django_capture_on_commit_callbacks):
    commitment = CommitmentFactory(initiative=initiative, signed_by__email="lee@unitedway.example")
    with scope(organization=world.org), django_capture_on_commit_callbacks(execute=True):
        survey = services.survey_send(commitment=commitment)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lee@unitedway.example"]
    assert f"/survey/{survey.token}/" in mail.outbox[0].body


def test_a_survey_link_works_once_and_not_after_it_expires(world, initiative):
    survey = FeedbackSurveyFactory(commitment__initiative=initiative)
    expired = FeedbackSurveyFactory(
        commitment__initiative=initiative,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert services.survey_for_token(survey.token).pk == survey.pk
    services.survey_answer(
        survey=survey,
        answers={"activities": "Hosted two kitchen-table events", "collaboration_increased": "yes"},
    )
    with pytest.raises(services.SurveyLinkInvalid, match="already been answered"):
        services.survey_for_token(survey.token)
    with pytest.raises(services.SurveyLinkInvalid, match="already been answered"):
        services.survey_answer(survey=survey, answers={"activities": "again"})
    with pytest.raises(services.SurveyLinkInvalid, match="expired"):
        services.survey_for_token(expired.token)
    with pytest.raises(services.SurveyLinkInvalid, match="not valid"):
        services.survey_for_token(survey.token[:-2] + "xx")
    with scopes_disabled():
        survey.refresh_from_db()
    assert survey.activities == "Hosted two kitchen-table events"


def test_a_story_is_published_only_when_everyone_featured_consented(world, initiative):
    story = StoryFactory(initiative=initiative, title="Maria's first job")
    maria = StoryFeatureFactory(story=story)
    joe = StoryFeatureFactory(story=story)
    with scope(organization=world.org):
        services.story_consent_set(feature=maria, given=True)
        with pytest.raises(ValidationError, match=joe.contact.full_name):
            services.story_publish(story=story)
        story.refresh_from_db()
        assert not story.published
        services.story_consent_set(feature=joe, given=True)
        services.story_publish(story=story)
        story.refresh_from_db()
        assert story.published and story.published_at
        assert Interaction.objects.filter(kind=InteractionKind.STORY).count() == 2
        services.story_consent_set(feature=joe, given=False)
        story.refresh_from_db()
    assert not story.published


def test_featuring_someone_new_takes_a_published_story_down(world, initiative):
    story = StoryFactory(initiative=initiative, published=True, published_at=timezone.now())
    newcomer = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        services.story_update(story=story, title=story.title, text=story.text, featured=[newcomer])
        story.refresh_from_db()
    assert not story.published


def test_story_markdown_is_sanitized():
    html = render_markdown("**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
