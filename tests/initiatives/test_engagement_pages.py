"""The engagement pages: people, system map, events, commitments, stories, and the public
survey link; who sees what, and how many queries the lists take."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from initiatives.models import Attendance, Commitment, FeedbackSurvey, Participation, Story
from stakeholders.models import Contact, Interaction, Sector

from ..stakeholders.factories import ContactFactory, PartnerFactory, PartnerMembershipFactory
from .factories import (
    AttendanceFactory,
    CommitmentFactory,
    EngagementEventFactory,
    FeedbackSurveyFactory,
    InitiativePartnerFactory,
    ParticipationFactory,
    StoryFactory,
    StoryFeatureFactory,
)


@pytest.fixture
def initiative(world):
    with scope(organization=world.org):
        from initiatives.services import initiative_create

        return initiative_create(
            organization=world.org,
            name="Poverty Reduction Roundtable 2027",
            issue="Reduce poverty",
            start_date=datetime.date(2027, 1, 15),
        )


def url(name, org, **kwargs):
    return reverse(f"initiatives:{name}", kwargs={"org_slug": org.slug, **kwargs})


def link_partner_user(world, partner):
    PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org, partner=partner
    )


# People ----------------------------------------------------------------------


def _people(world, initiative, n):
    partner = PartnerFactory(organization=world.org)
    for i in range(n):
        ParticipationFactory(
            initiative=initiative,
            contact=ContactFactory(organization=world.org, partner=partner if i % 2 else None),
            level=["inform", "consult", "involve"][i % 3],
        )


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx)


def test_people_page_takes_the_same_queries_for_10_and_500_people(world, login, initiative):
    client = login(world.coordinator)
    path = url("people", world.org, initiative_id=initiative.pk)
    _people(world, initiative, 10)
    small = _count_queries(client, path)
    _people(world, initiative, 490)
    large = _count_queries(client, path)
    assert small == large
    assert b"Page 1 of 20" in client.get(path).content


def test_people_filter_answers_a_fragment_for_htmx(world, login, initiative):
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, first_name="Rosa", lived_experience=True),
        level="empower",
    )
    ParticipationFactory(
        initiative=initiative, contact=ContactFactory(organization=world.org, first_name="Bill")
    )
    response = login(world.roundtable).get(
        url("people", world.org, initiative_id=initiative.pk) + "?level=empower",
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Rosa" in body and "Bill" not in body
    assert "<html" not in body


def test_coordinator_adds_a_person_with_roles(world, login, initiative):
    contact = ContactFactory(organization=world.org, first_name="Amira")
    response = login(world.coordinator).post(
        url("people", world.org, initiative_id=initiative.pk),
        {"contact": contact.pk, "roles": ["champion", "roundtable"], "level": "involve"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        participation = Participation.objects.get(initiative=initiative)
        assert sorted(participation.roles.values_list("role", flat=True)) == [
            "champion",
            "roundtable",
        ]
    assert participation.level == "involve"


def test_coordinator_changes_a_level(world, login, initiative):
    participation = ParticipationFactory(initiative=initiative, level="inform")
    response = login(world.coordinator).post(
        url("participation_edit", world.org, participation_id=participation.pk),
        {"roles": ["ambassador"], "level": "empower"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        participation.refresh_from_db()
    assert participation.level == "empower"


def test_roundtable_reads_people_with_emails_but_cannot_add(world, login, initiative):
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, email="rosa@example.org"),
    )
    client = login(world.roundtable)
    page = client.get(url("people", world.org, initiative_id=initiative.pk))
    assert b"rosa@example.org" in page.content
    assert b"Add a person" not in page.content
    contact = ContactFactory(organization=world.org)
    refused = client.post(
        url("people", world.org, initiative_id=initiative.pk),
        {"contact": contact.pk, "level": "inform"},
    )
    assert refused.status_code == 403


def test_partner_sees_names_of_their_own_partners_people_only_and_no_emails(
    world, login, initiative
):
    mine = PartnerFactory(organization=world.org, name="Food Bank")
    link_partner_user(world, mine)
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(
            organization=world.org, first_name="Colleague", partner=mine, email="col@fb.example"
        ),
    )
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, first_name="Stranger", email="s@x.example"),
    )
    body = login(world.partner).get(url("people", world.org, initiative_id=initiative.pk))
    text = body.content.decode()
    assert "Colleague" in text
    assert "Stranger" not in text
    assert "col@fb.example" not in text and "s@x.example" not in text


def test_partner_of_another_initiative_gets_404(world, login, initiative):
    link_partner_user(world, PartnerFactory(organization=world.org))
    response = login(world.partner).get(url("people", world.org, initiative_id=initiative.pk))
    assert response.status_code == 404


def test_system_map_page_shows_gaps(world, login, initiative):
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, sector=Sector.HEALTH),
    )
    body = login(world.roundtable).get(url("system_map", world.org, initiative_id=initiative.pk))
    text = body.content.decode()
    assert "Nobody from Faith is at the table." in text
    assert "Nobody with lived experience is at the table." in text
    assert "Nobody from Health" not in text


# Events ----------------------------------------------------------------------


def test_coordinator_records_an_event_in_the_organizations_time_zone(world, login, initiative):
    world.org.time_zone = "America/Winnipeg"
    world.org.save()
    response = login(world.coordinator).post(
        url("events", world.org, initiative_id=initiative.pk),
        {
            "kind": "community_conversation",
            "title": "Conversation at the library",
            "starts_at": "2027-02-10T18:30",
            "place": "Central library",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        event = initiative.events.get()
    assert event.starts_at == datetime.datetime(2027, 2, 11, 0, 30, tzinfo=datetime.UTC)


def test_an_event_without_title_or_date_shows_errors(world, login, initiative):
    response = login(world.coordinator).post(
        url("events", world.org, initiative_id=initiative.pk), {"kind": "tour"}
    )
    assert response.status_code == 422
    assert b"This field is required." in response.content


def test_attendance_and_walk_ins_feed_the_community_will_deliverable(world, login, initiative):
    event = EngagementEventFactory(initiative=initiative)
    known = ContactFactory(organization=world.org, sector=Sector.HEALTH)
    client = login(world.coordinator)
    client.post(url("attendee_add", world.org, event_id=event.pk), {"contact": known.pk})
    client.post(
        url("walk_in_add", world.org, event_id=event.pk),
        {"first_name": "Noor", "sector": "community", "email": "", "consent": ""},
    )
    with scopes_disabled():
        assert Attendance.objects.filter(event=event).count() == 2
        assert Interaction.objects.filter(contact=known, kind="event").count() == 1
        assert Contact.objects.filter(first_name="Noor", organization=world.org).exists()
    deliverables = client.get(url("deliverables", world.org, initiative_id=initiative.pk))
    text = deliverables.content.decode()
    assert "From the engagement events:" in text
    assert '<dt>People engaged</dt><dd class="num">2</dd>' in text
    assert '<dt>Sectors reached</dt><dd class="num">2</dd>' in text
    overview = client.get(url("detail", world.org, initiative_id=initiative.pk))
    assert '<dt>Events held</dt><dd class="num">1' in overview.content.decode()


def test_a_walk_in_consent_without_email_is_refused_next_to_the_field(world, login, initiative):
    event = EngagementEventFactory(initiative=initiative)
    response = login(world.coordinator).post(
        url("walk_in_add", world.org, event_id=event.pk),
        {"first_name": "Kim", "sector": "community", "consent": "on"},
    )
    assert response.status_code == 422
    assert b"Add an e-mail address to send them news." in response.content
    with scopes_disabled():
        assert not Contact.objects.filter(first_name="Kim").exists()


def test_events_list_takes_the_same_queries_for_few_and_many(world, login, initiative):
    client = login(world.roundtable)
    path = url("events", world.org, initiative_id=initiative.pk)
    for _ in range(3):
        AttendanceFactory(event__initiative=initiative)
    small = _count_queries(client, path)
    for _ in range(40):
        AttendanceFactory(event__initiative=initiative)
    assert _count_queries(client, path) == small


def test_partner_sees_attendance_count_but_not_other_peoples_names(world, login, initiative):
    mine = PartnerFactory(organization=world.org)
    link_partner_user(world, mine)
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    event = EngagementEventFactory(initiative=initiative)
    AttendanceFactory(event=event, contact__first_name="Outsiderperson")
    text = login(world.partner).get(url("event", world.org, event_id=event.pk)).content.decode()
    assert "Outsiderperson" not in text
    assert "1 person came." in text
    assert "Add a walk-in" not in text


# Commitments and the survey --------------------------------------------------


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
    assert response.status_code == 422
    assert b"The person who signs must work at" in response.content


def test_sending_the_survey_from_the_page(
    world, login, initiative, mailoutbox, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory(initiative=initiative, signed_by__email="lee@uw.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.coordinator).post(
            url("survey_send", world.org, commitment_id=commitment.pk), follow=True
        )
    assert b"on its way to lee@uw.example" in response.content
    assert [m.to for m in mailoutbox] == [["lee@uw.example"]]


def test_the_public_survey_link_is_answered_without_an_account(client, world, initiative):
    survey = FeedbackSurveyFactory(commitment__initiative=initiative)
    path = reverse("survey:answer", kwargs={"token": survey.token})
    page = client.get(path)
    assert page.status_code == 200
    assert b"Has collaboration between partners increased?" in page.content
    bad = client.post(path, {"activities": ""})
    assert bad.status_code == 422
    done = client.post(
        path,
        {
            "activities": "Ran the tax clinic",
            "collaboration_increased": "yes",
            "resources_committed": "Two staff days a month",
        },
    )
    assert b"Thank you!" in done.content
    again = client.get(path)
    assert again.status_code == 410
    assert b"already been answered" in again.content
    with scopes_disabled():
        assert FeedbackSurvey.objects.get(pk=survey.pk).resources_committed == (
            "Two staff days a month"
        )


def test_tampered_and_expired_survey_links_say_so(client, world, initiative):
    survey = FeedbackSurveyFactory(
        commitment__initiative=initiative, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    expired = client.get(reverse("survey:answer", kwargs={"token": survey.token}))
    assert expired.status_code == 410 and b"expired" in expired.content
    tampered = client.get(reverse("survey:answer", kwargs={"token": survey.token + "x"}))
    assert tampered.status_code == 410 and b"not valid" in tampered.content


def test_staff_read_the_answers(world, login, initiative):
    survey = FeedbackSurveyFactory(
        commitment__initiative=initiative,
        answered_at=timezone.now(),
        activities="Hosted the kitchen-table events",
    )
    page = login(world.roundtable).get(
        url("feedback_survey", world.org, feedback_survey_id=survey.pk)
    )
    assert b"Hosted the kitchen-table events" in page.content


# Stories ---------------------------------------------------------------------


def test_partner_sees_only_published_stories_without_the_people_list(world, login, initiative):
    mine = PartnerFactory(organization=world.org)
    link_partner_user(world, mine)
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    published = StoryFactory(
        initiative=initiative, title="Published one", published=True, published_at=timezone.now()
    )
    StoryFeatureFactory(story=published, contact__first_name="Featuredperson", consent_given=True)
    StoryFactory(initiative=initiative, title="Draft one")
    text = login(world.partner).get(url("stories", world.org, initiative_id=initiative.pk))
    body = text.content.decode()
    assert "Published one" in body and "Draft one" not in body
    assert "Featuredperson" not in body


def test_publishing_without_consent_says_who_is_missing(world, login, initiative):
    story = StoryFactory(initiative=initiative)
    feature = StoryFeatureFactory(story=story, contact__first_name="Maria")
    client = login(world.coordinator)
    response = client.post(url("story_publish", world.org, story_id=story.pk), follow=True)
    assert b"Still waiting for: Maria" in response.content
    client.post(
        url("story_feature_consent", world.org, story_feature_id=feature.pk),
        {"consent_given": "1"},
    )
    client.post(url("story_publish", world.org, story_id=story.pk))
    with scopes_disabled():
        assert Story.objects.get(pk=story.pk).published


def test_coordinator_writes_a_story_with_sanitized_markdown(world, login, initiative):
    contact = ContactFactory(organization=world.org)
    client = login(world.coordinator)
    client.post(
        url("stories", world.org, initiative_id=initiative.pk),
        {
            "title": "Tax clinic",
            "text": "It **worked** <script>x()</script>",
            "featured": [contact.pk],
        },
    )
    body = client.get(url("stories", world.org, initiative_id=initiative.pk)).content.decode()
    assert "<strong>worked</strong>" in body
    assert "<script>x()" not in body


def test_stories_list_takes_the_same_queries_for_few_and_many(world, login, initiative):
    client = login(world.coordinator)
    path = url("stories", world.org, initiative_id=initiative.pk)
    StoryFeatureFactory(story__initiative=initiative)
    small = _count_queries(client, path)
    for _ in range(15):
        StoryFeatureFactory(story__initiative=initiative)
    assert _count_queries(client, path) == small


def test_commitments_list_takes_the_same_queries_for_few_and_many(world, login, initiative):
    client = login(world.coordinator)
    path = url("commitments", world.org, initiative_id=initiative.pk)
    FeedbackSurveyFactory(commitment__initiative=initiative)
    small = _count_queries(client, path)
    for _ in range(15):
        FeedbackSurveyFactory(commitment__initiative=initiative)
    assert _count_queries(client, path) == small


def test_strangers_get_404_on_the_engagement_pages(world, login, initiative):
    client = login(world.outsider)
    for name in ["people", "system_map", "events", "commitments", "stories"]:
        assert client.get(url(name, world.org, initiative_id=initiative.pk)).status_code == 404


def test_a_partner_reads_its_own_feedback_but_not_another_partners(world, login, initiative):
    mine = PartnerFactory(organization=world.org)
    link_partner_user(world, mine)
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    own = FeedbackSurveyFactory(
        commitment__initiative=initiative,
        commitment__partner=mine,
        answered_at=timezone.now(),
        activities="Our own answer",
    )
    other = FeedbackSurveyFactory(
        commitment__initiative=initiative, answered_at=timezone.now(), activities="Theirs"
    )
    client = login(world.partner)
    page = client.get(url("feedback_survey", world.org, feedback_survey_id=own.pk))
    assert b"Our own answer" in page.content
    refused = client.get(url("feedback_survey", world.org, feedback_survey_id=other.pk))
    assert refused.status_code == 404


def test_the_level_history_shows_on_the_person_page(world, login, initiative):
    contact = ContactFactory(organization=world.org)
    client = login(world.coordinator)
    client.post(
        url("people", world.org, initiative_id=initiative.pk),
        {"contact": contact.pk, "level": "consult"},
    )
    with scopes_disabled():
        participation = Participation.objects.get(contact=contact)
    edit = url("participation_edit", world.org, participation_id=participation.pk)
    client.post(edit, {"level": "empower"})
    text = client.get(edit).content.decode()
    assert "Consult → Empower" in text


def test_the_system_map_takes_the_same_queries_for_few_and_many(world, login, initiative):
    client = login(world.roundtable)
    path = url("system_map", world.org, initiative_id=initiative.pk)
    ParticipationFactory(initiative=initiative)
    InitiativePartnerFactory(initiative=initiative)
    small = _count_queries(client, path)
    for _ in range(30):
        ParticipationFactory(initiative=initiative)
        InitiativePartnerFactory(initiative=initiative)
    assert _count_queries(client, path) == small


def test_a_story_keeps_its_photo(world, login, initiative, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    photo = SimpleUploadedFile("garden.png", buffer.getvalue(), content_type="image/png")
    login(world.coordinator).post(
        url("stories", world.org, initiative_id=initiative.pk),
        {"title": "The community garden", "text": "Tomatoes.", "photo": photo},
    )
    with scopes_disabled():
        story = Story.objects.get(title="The community garden")
    assert story.photo.name.endswith("garden.png")
    assert (tmp_path / story.photo.name).exists()


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(world, login, initiative):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(world.coordinator).post(
        url("stories", world.org, initiative_id=initiative.pk),
        {
            "title": "Not a photo",
            "text": "x",
            "photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 422
    assert b"Upload a valid image." in response.content
    with scopes_disabled():
        assert not Story.objects.filter(title="Not a photo").exists()


def test_searching_people_to_add_answers_the_picker_for_htmx(world, login, initiative):
    event = EngagementEventFactory(initiative=initiative)
    ContactFactory(organization=world.org, first_name="Meiling", last_name="Chen")
    ContactFactory(organization=world.org, first_name="Bob", last_name="Stone")
    response = login(world.coordinator).get(
        url("event", world.org, event_id=event.pk) + "?q=meil", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="attendee-picker"')
    assert "Meiling Chen" in body and "Bob Stone" not in body


def test_a_renewal_in_the_coming_month_is_flagged(world, login, initiative):
    CommitmentFactory(
        initiative=initiative,
        partner__name="Soon Partner",
        renewal_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    CommitmentFactory(
        initiative=initiative,
        partner__name="Later Partner",
        renewal_on=timezone.localdate() + datetime.timedelta(days=200),
    )
    text = login(world.roundtable).get(url("commitments", world.org, initiative_id=initiative.pk))
    rows = text.content.decode().split("<tr>")
    soon = next(r for r in rows if "Soon Partner" in r)
    later = next(r for r in rows if "Later Partner" in r)
    assert "Renewal due" in soon and "Renewal due" not in later
