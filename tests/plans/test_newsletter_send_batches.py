"""Sending in chunks: one query per recipient (its "sent" mark) and the rest per chunk, one
signature per link kind per recipient, and a chunk cut short by a crash loses nobody
and mails nobody twice."""

import smtplib

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from plans.models import Delivery
from plans.services import newsletter as newsletters
from plans.services import newsletter_links as links
from plans.services.delivery import TransientSendError
from stakeholders.models import Interaction

from .factories import ConsentingContactFactory, NewsletterFactory, NewsletterItemFactory
from .test_newsletter_delivery import run_sending, send


def new_issue(world, links_in_it=2):
    newsletter = NewsletterFactory(organization=world.org)
    for index in range(links_in_it):
        NewsletterItemFactory(newsletter=newsletter, url=f"https://riverside.example/{index}")
    return newsletter


def queries_to_send(issue) -> int:
    send(issue)
    with CaptureQueriesContext(connection) as queries:
        counts = run_sending(issue, batch_size=100)
    assert counts["failed"] == 0
    return len(queries)


def test_a_recipient_costs_one_query_its_sent_mark(world, smtp_sink):
    ConsentingContactFactory.create_batch(3, organization=world.org)
    few = queries_to_send(new_issue(world))
    ConsentingContactFactory.create_batch(9, organization=world.org)
    many = queries_to_send(new_issue(world))
    assert len(smtp_sink.received) == 3 + 12
    # Contacts, skips, refusals and timelines are per chunk; only "sent" is per mail, so
    # that a worker killed outright leaves no mailed row to mail again.
    assert many - few == 9
    with scopes_disabled():
        assert Interaction.objects.filter(kind="newsletter").count() == 15
        assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_each_recipient_costs_one_signature_per_link_kind(world, smtp_sink, monkeypatch):
    people = ConsentingContactFactory.create_batch(4, organization=world.org)
    issue = new_issue(world, links_in_it=3)
    send(issue)
    signed = []
    dumps = signing.dumps
    monkeypatch.setattr(signing, "dumps", lambda obj, **kw: signed.append(obj) or dumps(obj, **kw))
    run_sending(issue)
    # The three links' targets once for the issue; a click and an unsubscribe token each.
    assert len(signed) == 3 + 2 * len(people)
    mail = smtp_sink.to(people[0].email)[0].message
    html = mail.get_body(("html",)).get_content()
    unsubscribe = mail["List-Unsubscribe"].strip(" <>")
    assert unsubscribe.replace("/n/u/", "/n/p/") in html  # preferences share the token


def test_a_click_link_only_leads_to_a_link_of_its_own_issue(world, client):
    person = ConsentingContactFactory(organization=world.org)
    issue, other = new_issue(world), new_issue(world)
    send(issue)
    run_sending(issue)
    with scopes_disabled():
        delivery = Delivery.objects.select_related("newsletter").get(contact=person)
    url = links.tracked_url(delivery, "https://riverside.example/0")
    response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 302
    assert response["Location"] == "https://riverside.example/0"
    token = links.make_token(delivery, links.CLICK_SALT)
    foreign = links.sign_click_target(other, "https://evil.example")
    assert client.get(f"/n/c/{token}/", {"to": foreign}).status_code == 400
    assert client.get(f"/n/c/{token}/").status_code == 400
    # A link mailed before targets were signed per issue still leads where it said.
    old = links.make_token(delivery, links.CLICK_SALT, u="https://riverside.example/old")
    assert client.get(f"/n/c/{old}/")["Location"] == "https://riverside.example/old"


class WorkerDied(BaseException):
    """Not an SMTP error: what a worker's shutdown or time limit raises mid-chunk."""


def test_a_chunk_cut_short_keeps_who_was_mailed_and_the_rest_get_it_once(
    world, smtp_sink, monkeypatch
):
    people = ConsentingContactFactory.create_batch(6, organization=world.org)
    issue = new_issue(world)
    send(issue)
    real = smtplib.SMTP.mail

    def dies_on_the_fourth(self, *args, **kwargs):
        if len(smtp_sink.received) == 3:
            raise WorkerDied
        return real(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "mail", dies_on_the_fourth)
    with pytest.raises(WorkerDied):
        run_sending(issue, batch_size=10)
    with scopes_disabled():
        statuses = list(Delivery.objects.order_by("pk").values_list("status", flat=True))
        assert statuses == [Delivery.Status.SENT] * 3 + [Delivery.Status.SENDING] * 3
        assert Interaction.objects.filter(kind="newsletter").count() == 3
    monkeypatch.setattr(smtplib.SMTP, "mail", real)
    run_sending(issue, batch_size=10)  # the claim's lock is free: its rows are taken back
    for person in people:
        assert len(smtp_sink.to(person.email)) == 1, person.email
    with scopes_disabled():
        assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
        assert Interaction.objects.filter(kind="newsletter").count() == 6


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_marks_skip_the_disk_wait_only_while_mailing_and_the_setting_comes_back(
    world, smtp_sink, monkeypatch
):
    ConsentingContactFactory.create_batch(3, organization=world.org)
    before = synchronous_commit()
    assert before != "off"
    seen = []
    real = smtplib.SMTP.mail

    def watching(self, *args):
        seen.append(synchronous_commit())
        if len(seen) == 5:
            raise WorkerDied
        return real(self, *args)

    monkeypatch.setattr(smtplib.SMTP, "mail", watching)
    issue = new_issue(world)
    send(issue)
    run_sending(issue)
    assert seen == ["off"] * 3
    assert synchronous_commit() == before
    # Also when sending stops half-way.
    again = new_issue(world)
    send(again)
    with pytest.raises(WorkerDied):
        run_sending(again)
    assert seen == ["off"] * 5
    assert synchronous_commit() == before
    with scopes_disabled():
        assert again.deliveries.filter(status=Delivery.Status.SENT).count() == 1


def status_of(delivery_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM plans_delivery WHERE id = %s", [delivery_id])
        return cursor.fetchone()[0]


def test_a_row_is_marked_sent_before_the_final_dot_so_a_killed_worker_mails_nobody_twice(
    world, smtp_sink, monkeypatch
):
    """The server delivers a message on its final dot. A worker killed outright after
    sending it has its row marked sent already; killed before it, the server throws the
    message away and the row is still "sending", to be mailed again."""
    people = ConsentingContactFactory.create_batch(4, organization=world.org)
    issue = new_issue(world)
    send(issue)
    with scopes_disabled():
        ids = dict(Delivery.objects.values_list("contact__email", "pk"))
    real = smtplib.SMTP.send
    at_the_dot = []
    current = {}

    def watching_rcpt(self, address, options=()):
        current["id"] = ids[address]
        return real_rcpt(self, address, options)

    def sending(self, data):
        if data == b".\r\n":
            at_the_dot.append(status_of(current["id"]))
            if len(at_the_dot) == 3:
                raise WorkerDied  # between the message and its dot: nothing delivered
        return real(self, data)

    real_rcpt = smtplib.SMTP.rcpt
    monkeypatch.setattr(smtplib.SMTP, "rcpt", watching_rcpt)
    monkeypatch.setattr(smtplib.SMTP, "send", sending)
    with pytest.raises(WorkerDied):
        run_sending(issue, batch_size=10)
    assert at_the_dot == [Delivery.Status.SENT] * 3
    assert len(smtp_sink.received) == 2  # the third message never got its dot
    with scopes_disabled():
        statuses = list(Delivery.objects.order_by("pk").values_list("status", flat=True))
    # The third mark was taken back as the connection broke before the server answered.
    assert statuses == [Delivery.Status.SENT] * 2 + [Delivery.Status.SENDING] * 2
    monkeypatch.setattr(smtplib.SMTP, "send", real)
    run_sending(issue, batch_size=10)
    for person in people:
        assert len(smtp_sink.to(person.email)) == 1, person.email


def test_a_message_refused_at_its_end_is_not_marked_sent(world, smtp_sink):
    ConsentingContactFactory.create_batch(3, organization=world.org)
    issue = new_issue(world)
    send(issue)
    smtp_sink.refuse_after = 1  # "421" to the second message's dot
    with pytest.raises(TransientSendError):
        run_sending(issue, batch_size=10)
    (delivered,) = smtp_sink.received
    with scopes_disabled():
        statuses = dict(Delivery.objects.values_list("contact__email", "status"))
    # Only the message the server took is marked sent; the refused one was taken back.
    assert statuses.pop(delivered.recipients[0]) == Delivery.Status.SENT
    assert list(statuses.values()) == [Delivery.Status.PENDING] * 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the mark is sent ahead on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_mark_is_on_the_wire_when_the_dot_goes_and_answered_after(
    world, smtp_sink, monkeypatch
):
    """As a worker sends (autocommit): at the final dot the row's "sent" mark is already on
    its way to PostgreSQL, unanswered (a worker killed there has it committed by the server
    all the same), and it is answered before the server's reply is read. A worker dying at
    the dot still has its mark taken back, and a rerun mails each person once."""
    from psycopg import pq

    people = ConsentingContactFactory.create_batch(4, organization=world.org)
    issue = new_issue(world)
    with scope(organization=world.org):  # no job: the sending is run below, by hand
        newsletters.newsletter_send_now(newsletter=issue, user=None)
    real = smtplib.SMTP.send
    at_the_dot = []

    def sending(self, data):
        if data == b".\r\n":
            at_the_dot.append(connection.connection.pgconn.transaction_status)
            if len(at_the_dot) == 3:
                raise WorkerDied  # between the message and its dot: nothing delivered
        return real(self, data)

    monkeypatch.setattr(smtplib.SMTP, "send", sending)
    with pytest.raises(WorkerDied):
        run_sending(issue, batch_size=10)
    assert at_the_dot == [pq.TransactionStatus.ACTIVE] * 3  # sent, not yet answered
    assert len(smtp_sink.received) == 2
    with scopes_disabled():
        statuses = list(Delivery.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [Delivery.Status.SENT] * 2 + [Delivery.Status.SENDING] * 2
    monkeypatch.setattr(smtplib.SMTP, "send", real)
    run_sending(issue, batch_size=10)
    for person in people:
        assert len(smtp_sink.to(person.email)) == 1, person.email
