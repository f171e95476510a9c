import datetime as dt

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.tasks import enqueue
from plans import tasks
from plans.models import Delivery, InitiativeOptOut, LinkClick, Newsletter
from plans.selectors import newsletter as selectors
from plans.services import delivery as deliveries
from plans.services import newsletter as newsletters
from plans.services import newsletter_links as links
from stakeholders.models import ConsentRecord, ConsentStatus, Contact, Interaction
from stakeholders.services import consent_unsubscribe

from ..initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import ConsentingContactFactory, NewsletterFactory, NewsletterItemFactory


def send(newsletter, user=None):
    with scope(organization=newsletter.organization):
        count, started = newsletters.newsletter_send_now(newsletter=newsletter, user=user)
    if started:  # as the page and the scheduled job do: sending runs as a job
        enqueue(
            tasks.send_newsletter,
            organization_id=newsletter.organization_id,
            newsletter_id=newsletter.pk,
        )
    return count


def run_sending(newsletter, **kwargs):
    with scope(organization=newsletter.organization):
        return deliveries.deliveries_send(
            newsletter=Newsletter.objects.get(pk=newsletter.pk), **kwargs
        )


def test_only_contacts_who_agreed_are_counted_and_mailed(
    world, issue, smtp_sink, django_capture_on_commit_callbacks
):
    yes = ConsentingContactFactory(organization=world.org, email="yes@example.org")
    ContactFactory(organization=world.org, email="never-asked@example.org")
    ConsentingContactFactory(
        organization=world.org, email="gone@example.org", consent=ConsentStatus.WITHDRAWN
    )
    ConsentingContactFactory(organization=world.org, email="")
    ConsentingContactFactory(organization=world.other_org, email="elsewhere@example.org")
    with scope(organization=world.org):
        assert selectors.audience_counts(issue) == {"recipients": 1, "excluded": 3}
    with django_capture_on_commit_callbacks(execute=True):
        assert send(issue, world.coordinator) == 1
    assert [m.recipients for m in smtp_sink.received] == [["yes@example.org"]]
    with scopes_disabled():
        assert Delivery.objects.get().contact == yes


def test_each_mail_has_html_and_text_a_stable_message_id_and_one_click_unsubscribe(
    world, issue, smtp_sink
):
    ConsentingContactFactory(organization=world.org, email="ada@example.org")
    send(issue)
    run_sending(issue)
    [received] = smtp_sink.to("ada@example.org")
    message = received.message
    with scopes_disabled():
        delivery = Delivery.objects.get()
    assert message["Message-ID"] == delivery.message_id
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://127.0.0.1:8000/n/u/")
    kinds = [part.get_content_type() for part in message.walk()]
    assert "text/plain" in kinds and "text/html" in kinds
    html = message.get_body(("html",)).get_content()
    assert "Maria&#x27;s story" in html or "Maria's story" in html
    assert "<strong>listening team</strong>" in html
    assert "/n/c/" in html  # links are tracked
    assert "listening team" in message.get_body(("plain",)).get_content()


def test_sending_twice_never_mails_anyone_twice(
    world, issue, smtp_sink, django_capture_on_commit_callbacks
):
    ConsentingContactFactory.create_batch(3, organization=world.org)
    with django_capture_on_commit_callbacks(execute=True):
        send(issue)
    with pytest.raises(ValidationError, match="already sent"):
        send(issue)  # a second click
    run_sending(issue)  # a retry of the task
    assert len(smtp_sink.received) == 3
    with scopes_disabled():
        assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3
        assert Newsletter.objects.get().status == Newsletter.Status.SENT


def test_an_interrupted_send_resumes_without_losing_or_duplicating(world, issue, smtp_sink):
    people = ConsentingContactFactory.create_batch(6, organization=world.org)
    smtp_sink.refuse_after = 3  # the server goes away after three messages
    send(issue)
    with pytest.raises(deliveries.TransientSendError):
        run_sending(issue, batch_size=2)
    assert len(smtp_sink.received) == 3
    smtp_sink.refuse_after = None
    run_sending(issue, batch_size=2)
    for person in people:
        assert len(smtp_sink.to(person.email)) == 1, person.email
    with scopes_disabled():
        assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_someone_who_unsubscribes_while_a_send_is_under_way_is_skipped(
    world, issue, smtp_sink, monkeypatch
):
    first, second, late = (
        ConsentingContactFactory(organization=world.org, email=f"p{i}@example.org")
        for i in range(3)
    )
    send(issue)
    claim = deliveries._claim_batch
    calls = []

    def claim_then_unsubscribe(newsletter, size):
        batch = claim(newsletter, size)
        if not calls:
            consent_unsubscribe(contact=Contact.objects.get(pk=late.pk))
        calls.append(len(batch))
        return batch

    monkeypatch.setattr(deliveries, "_claim_batch", claim_then_unsubscribe)
    counts = run_sending(issue, batch_size=3)
    assert counts == {"sent": 2, "skipped": 1, "failed": 0}
    assert smtp_sink.to("p2@example.org") == []
    with scopes_disabled():
        assert Delivery.objects.get(contact=late).status == Delivery.Status.SKIPPED


def test_a_refused_address_is_marked_failed_with_the_reason(world, issue, smtp_sink):
    ConsentingContactFactory(organization=world.org, email="ok@example.org")
    ConsentingContactFactory(organization=world.org, email="nobody@refused.example")
    smtp_sink.refuse_recipients = {"nobody@refused.example"}
    send(issue)
    counts = run_sending(issue)
    assert counts == {"sent": 1, "skipped": 0, "failed": 1}
    with scopes_disabled():
        failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.email == "nobody@refused.example"
    assert "550" in failed.error


def test_sending_writes_the_newsletter_into_each_recipients_timeline(world, issue):
    person = ConsentingContactFactory(organization=world.org)
    send(issue)
    run_sending(issue)
    with scopes_disabled():
        entry = Interaction.objects.get(contact=person)
    assert entry.kind == "newsletter"
    assert issue.subject in entry.summary
    assert len(mail.outbox) == 1


def test_nothing_to_say_or_nobody_to_tell_is_refused(world):
    empty = NewsletterFactory(organization=world.org, introduction="")
    ConsentingContactFactory(organization=world.org)
    with pytest.raises(ValidationError, match="no items"):
        send(empty)
    lonely = NewsletterFactory(organization=world.other_org)
    NewsletterItemFactory(newsletter=lonely)
    with pytest.raises(ValidationError, match="Nobody in this audience"):
        send(lonely)
    with scopes_disabled():
        assert not Delivery.objects.exists()


def test_a_send_time_in_the_past_is_refused(world, issue):
    ConsentingContactFactory(organization=world.org)
    with scope(organization=world.org), pytest.raises(ValidationError) as error:
        newsletters.newsletter_schedule(
            newsletter=issue, when=timezone.now() - dt.timedelta(minutes=5), user=world.coordinator
        )
    assert "future" in str(error.value)
    issue.refresh_from_db()
    assert issue.status == Newsletter.Status.DRAFT


def test_a_scheduled_issue_is_sent_when_its_time_comes(
    world, issue, smtp_sink, django_capture_on_commit_callbacks
):
    ConsentingContactFactory(organization=world.org, email="later@example.org")
    with scope(organization=world.org):
        newsletters.newsletter_schedule(
            newsletter=issue, when=timezone.now() + dt.timedelta(hours=1), user=world.coordinator
        )

    tasks.dispatch_scheduled_newsletters.delay()
    assert smtp_sink.received == []
    with scopes_disabled():
        Newsletter.objects.filter(pk=issue.pk).update(
            scheduled_for=timezone.now() - dt.timedelta(seconds=1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch_scheduled_newsletters.delay()
    assert len(smtp_sink.to("later@example.org")) == 1


def test_audiences_narrow_by_sector_tag_and_initiative_and_respect_opt_outs(world, issue):
    initiative = InitiativeFactory(organization=world.org)
    food_bank = PartnerFactory(organization=world.org, name="Riverside Food Bank")
    InitiativePartnerFactory(initiative=initiative, partner=food_bank)
    inside = ConsentingContactFactory(
        organization=world.org, partner=food_bank, sector="non_profit"
    )
    opted_out = ConsentingContactFactory(
        organization=world.org, partner=food_bank, sector="non_profit"
    )
    ConsentingContactFactory(organization=world.org, sector="business")
    with scopes_disabled():
        InitiativeOptOut.objects.create(
            organization=world.org, contact=opted_out, initiative=initiative
        )
    issue.audience_initiative = initiative
    issue.save()
    with scope(organization=world.org):
        assert list(selectors.newsletter_audience(issue)) == [inside]
        issue.audience_initiative = None
        issue.audience_sector = "business"
        assert selectors.audience_counts(issue) == {"recipients": 1, "excluded": 0}


def deliver_one(world, issue):
    ConsentingContactFactory(organization=world.org, email="reader@example.org")
    send(issue)
    run_sending(issue)
    with scopes_disabled():
        return Delivery.objects.select_related("contact", "organization", "newsletter").get()


def test_one_click_unsubscribe_works_without_an_account_or_csrf(world, issue, client):
    delivery = deliver_one(world, issue)
    url = links.unsubscribe_url(delivery).removeprefix("http://127.0.0.1:8000")
    client.handler.enforce_csrf_checks = True
    page = client.get(url)
    assert "Stop hearing from Riverside Collective?" in page.content.decode()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert "You are unsubscribed" in response.content.decode()
    with scopes_disabled():
        contact = Contact.objects.get(pk=delivery.contact_id)
        record = ConsentRecord.objects.get(contact=contact)
        assert Delivery.objects.get().unsubscribed_at is not None
    assert contact.consent == ConsentStatus.WITHDRAWN
    assert record.source == "unsubscribe"


def test_a_tampered_or_expired_unsubscribe_link_says_so(world, issue, client, monkeypatch):
    delivery = deliver_one(world, issue)
    token = links.make_token(delivery, links.UNSUBSCRIBE_SALT)
    response = client.post(f"/n/u/{token[:-3]}xyz/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    monkeypatch.setattr(links, "TOKEN_MAX_AGE", dt.timedelta(seconds=-1))
    response = client.get(f"/n/u/{token}/")
    assert "expired" in response.content.decode()
    with scopes_disabled():
        assert Contact.objects.get(pk=delivery.contact_id).consent == ConsentStatus.GIVEN


def test_preferences_choose_initiatives_and_are_recorded_on_the_timeline(world, issue, client):
    poverty = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    early = InitiativeFactory(organization=world.org, name="Ready for School")
    delivery = deliver_one(world, issue)
    token = links.make_token(delivery, links.UNSUBSCRIBE_SALT)
    client.post(f"/n/p/{token}/", {"initiative": [str(early.pk)]})
    with scopes_disabled():
        assert list(InitiativeOptOut.objects.values_list("initiative", flat=True)) == [poverty.pk]
        assert "Ready for School" in Interaction.objects.filter(kind="consent").get().summary
    page = client.get(f"/n/p/{token}/").content.decode()
    assert f'value="{early.pk}" checked' in page
    assert f'value="{poverty.pk}" checked' not in page


def test_a_click_is_counted_and_redirected(world, issue, client):
    delivery = deliver_one(world, issue)
    url = links.tracked_url(delivery, "https://riverside.example/stories/maria")
    response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 302
    assert response["Location"] == "https://riverside.example/stories/maria"
    with scopes_disabled():
        assert LinkClick.objects.get().delivery == delivery


def test_a_forged_click_link_can_not_redirect_anywhere(world, issue, client):
    delivery = deliver_one(world, issue)
    forged = signing.dumps(
        {"o": delivery.organization_id, "d": delivery.pk, "u": "https://evil.example"}, salt="other"
    )
    assert client.get(f"/n/c/{forged}/").status_code == 400
    token = links.make_token(delivery, links.CLICK_SALT, u="javascript:alert(1)")
    assert client.get(f"/n/c/{token}/").status_code == 400
    with scopes_disabled():
        assert not LinkClick.objects.exists()


def test_a_second_click_while_sending_creates_nothing_new(world, issue):
    ConsentingContactFactory.create_batch(2, organization=world.org)
    assert send(issue) == 2  # the task waits for the commit, so the issue is still sending
    assert send(issue) == 2
    with scopes_disabled():
        assert Delivery.objects.count() == 2
        assert Newsletter.objects.get().status == Newsletter.Status.SENDING


def test_merging_two_contacts_keeps_the_newsletters_each_received(world):
    from stakeholders.services import contact_merge

    from .factories import DeliveryFactory

    kept = ConsentingContactFactory(organization=world.org, email="maria@example.org")
    absorbed = ConsentingContactFactory(organization=world.org, email="maria.g@example.org")
    march = DeliveryFactory(contact=kept, newsletter__organization=world.org, status="sent")
    april = DeliveryFactory(contact=absorbed, newsletter__organization=world.org, status="sent")
    with scope(organization=world.org):
        contact_merge(
            kept=Contact.objects.get(pk=kept.pk), absorbed=Contact.objects.get(pk=absorbed.pk)
        )
    with scopes_disabled():
        assert sorted(Delivery.objects.values_list("pk", "contact_id")) == sorted(
            [(march.pk, kept.pk), (april.pk, kept.pk)]
        )


def test_an_initiative_audience_reaches_its_participants_and_a_role_narrows_it(world, issue):
    from initiatives.models import ParticipationRole

    from ..initiatives.factories import ParticipationFactory

    initiative = InitiativeFactory(organization=world.org)
    champion = ConsentingContactFactory(organization=world.org, first_name="Champion")
    volunteer = ConsentingContactFactory(organization=world.org, first_name="Volunteer")
    ConsentingContactFactory(organization=world.org, first_name="Bystander")
    for contact, role in ((champion, "champion"), (volunteer, "volunteer")):
        participation = ParticipationFactory(initiative=initiative, contact=contact)
        with scopes_disabled():
            ParticipationRole.objects.create(
                organization=world.org, participation=participation, role=role
            )
    issue.audience_initiative = initiative
    with scope(organization=world.org):
        assert set(selectors.newsletter_audience(issue)) == {champion, volunteer}
        issue.audience_role = "champion"
        assert list(selectors.newsletter_audience(issue)) == [champion]
