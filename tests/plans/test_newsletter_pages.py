import datetime
import re
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from plans.models import LinkClick, Newsletter
from plans.selectors.newsletter import issue_stats, newsletter_stats

from .factories import DeliveryFactory, NewsletterFactory, NewsletterItemFactory


def index_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/o/riverside/newsletters/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_newsletter_list_shows_engagement_in_a_fixed_number_of_queries(world, login):
    client = login(world.coordinator)
    first = NewsletterFactory(
        organization=world.org, subject="Week one", status=Newsletter.Status.SENT
    )
    delivery = DeliveryFactory(newsletter=first, status="sent")
    DeliveryFactory(newsletter=first, status="failed")
    with scopes_disabled():
        LinkClick.objects.create(
            organization=world.org, delivery=delivery, url="https://riverside.example"
        )
    few, body = index_queries(client)
    assert "Week one" in body
    for _ in range(15):
        issue = NewsletterFactory(organization=world.org)
        DeliveryFactory.create_batch(3, newsletter=issue, status="sent")
    many, _ = index_queries(client)
    assert many == few


def test_the_list_counts_delivered_failed_and_clicks(world, login):
    issue = NewsletterFactory(
        organization=world.org, subject="Counted", status=Newsletter.Status.SENT
    )
    sent = DeliveryFactory.create_batch(2, newsletter=issue, status="sent")
    DeliveryFactory(newsletter=issue, status="failed")
    with scopes_disabled():
        for delivery in sent:
            LinkClick.objects.create(
                organization=world.org, delivery=delivery, url="https://a.example"
            )
    response = login(world.coordinator).get("/o/riverside/newsletters/")
    [row] = list(response.context["newsletters"])
    assert (row.delivered, row.failed, row.unsubscribed, row.clicks) == (2, 1, 0, 2)


def test_the_issues_engagement_is_counted_in_two_queries_and_one_issues_in_one(world):
    issues = []
    for clicked in (0, 2):
        issue = NewsletterFactory(organization=world.org, status=Newsletter.Status.SENT)
        sent = DeliveryFactory.create_batch(2, newsletter=issue, status="sent")
        DeliveryFactory(newsletter=issue, status="failed", unsubscribed_at=timezone.now())
        with scopes_disabled():
            for delivery in sent[:clicked]:
                LinkClick.objects.create(
                    organization=world.org, delivery=delivery, url="https://a.example"
                )
        issues.append(issue)
    with scopes_disabled(), CaptureQueriesContext(connection) as queries:
        rows = newsletter_stats(Newsletter.objects.filter(pk__in=[i.pk for i in issues]))
    assert len(queries) == 2  # the issues with their delivery counts, then their clicks
    counts = {row.pk: (row.delivered, row.failed, row.unsubscribed, row.clicks) for row in rows}
    assert counts == {issues[0].pk: (2, 1, 1, 0), issues[1].pk: (2, 1, 1, 2)}
    for issue in issues:  # one issue's page: one aggregate, the same counts
        with scopes_disabled(), CaptureQueriesContext(connection) as queries:
            stats = issue_stats(issue)
        assert len(queries) == 1
        assert (stats.delivered, stats.failed, stats.unsubscribed, stats.clicks) == counts[issue.pk]


def test_roundtable_and_partners_do_not_manage_newsletters(world, login):
    for user in (world.roundtable, world.partner):
        assert login(user).get("/o/riverside/newsletters/").status_code == 403


def edit_in_place(client, item, **fields):
    """Post the item's form from its card, as htmx does, with these fields."""
    prefix = f"item-{item.pk}"
    return client.post(
        f"/o/riverside/newsletters/{item.newsletter_id}/items/{item.pk}/",
        {f"{prefix}-{name}": value for name, value in fields.items()},
        HTTP_HX_REQUEST="true",
    )


def test_a_coordinator_edits_and_drops_an_item_in_place(world, login):
    item = NewsletterItemFactory(newsletter=NewsletterFactory(organization=world.org))
    response = edit_in_place(login(world.coordinator), item, title="Maria's story", body="", url="")
    assert (
        response.content.decode()
        .lstrip()
        .startswith(
            f'<li class="card newsletter-item newsletter-item--dropped" id="item-{item.pk}">'
        )
    )
    item.refresh_from_db()
    assert (item.title, item.included) == ("Maria's story", False)


def test_an_empty_item_title_is_refused_and_nothing_changes(world, login):
    item = NewsletterItemFactory(newsletter=NewsletterFactory(organization=world.org))
    response = edit_in_place(login(world.coordinator), item, title="", included="on")
    assert "required" in response.content.decode()
    item.refresh_from_db()
    assert item.title.startswith("Maria")


def test_the_preview_shows_html_and_plain_text_without_tracking(world, login):
    issue = NewsletterFactory(
        organization=world.org, introduction="Hello <script>alert(1)</script> **table**"
    )
    NewsletterItemFactory(newsletter=issue)
    client = login(world.coordinator)
    html = client.get(f"/o/riverside/newsletters/{issue.pk}/preview/").content.decode()
    assert "<strong>table</strong>" in html
    assert "<script>" not in html
    assert "https://riverside.example/stories/maria" in html
    text = client.get(f"/o/riverside/newsletters/{issue.pk}/preview/?format=text")
    assert text["Content-Type"].startswith("text/plain")
    assert "Maria's story" in text.content.decode()


def test_a_subject_with_a_line_break_is_refused_and_nothing_changes(world, login):
    newsletter = NewsletterFactory(organization=world.org, subject="Week one")
    response = login(world.coordinator).post(
        f"/o/riverside/newsletters/{newsletter.pk}/",
        {"subject": "Week one\r\nBcc: everyone@example.org", "introduction": ""},
    )
    assert response.status_code == 422
    assert "one line" in response.content.decode()
    with scopes_disabled():
        newsletter.refresh_from_db()
    assert newsletter.subject == "Week one"


def test_an_item_saved_over_a_change_made_meanwhile_is_refused_keeping_the_input(world, login):
    item = NewsletterItemFactory(newsletter=NewsletterFactory(organization=world.org))
    page_url = f"/o/riverside/newsletters/{item.newsletter_id}/"
    mine, theirs = login(world.coordinator), login(world.admin)
    seen_name = f'name="item-{item.pk}-seen" value="'
    seen = {}
    for who, client in (("mine", mine), ("theirs", theirs)):
        page = client.get(page_url).content.decode()
        seen[who] = page.split(seen_name, 1)[1].split('"', 1)[0]
    edit_in_place(theirs, item, title="Their title", included="on", seen=seen["theirs"])

    response = edit_in_place(mine, item, title="My title", included="on", seen=seen["mine"])

    page = response.content.decode()
    assert "changed this since you opened the form" in page
    assert 'value="My title"' in page
    item.refresh_from_db()
    assert item.title == "Their title"


def test_the_newsletter_list_shows_the_newest_week_first(world, login):
    for week in (datetime.date(2027, 3, 1), datetime.date(2027, 3, 15), datetime.date(2027, 3, 8)):
        NewsletterFactory(organization=world.org, subject=f"Issue of {week}", week_of=week)
    body = login(world.coordinator).get("/o/riverside/newsletters/").content.decode()
    positions = [body.index(f"Issue of 2027-03-{day}") for day in ("15", "08", "01")]
    assert positions == sorted(positions)


def test_drafting_now_when_this_weeks_draft_exists_opens_it_with_a_word(world, login):
    client = login(world.coordinator)
    first = client.post("/o/riverside/newsletters/new/")
    again = client.post("/o/riverside/newsletters/new/", follow=True)
    with scopes_disabled():
        drafts = list(Newsletter.objects.filter(organization=world.org))
    assert len(drafts) == 1
    assert first["Location"] == f"/o/riverside/newsletters/{drafts[0].pk}/"
    assert again.redirect_chain[-1][0] == first["Location"]
    assert "already drafted: here it is" in again.content.decode()


def test_once_this_weeks_issue_is_sent_drafting_now_makes_a_new_one(world, login):
    client = login(world.coordinator)
    client.post("/o/riverside/newsletters/new/")
    with scopes_disabled():
        Newsletter.objects.filter(organization=world.org).update(status=Newsletter.Status.SENT)
    client.post("/o/riverside/newsletters/new/")
    with scopes_disabled():
        assert Newsletter.objects.filter(organization=world.org).count() == 2


def saved_status(html: str) -> str:
    """What the answer tells the page's polite live region (#saved-status), out of band."""
    found = re.search(
        r'<div id="saved-status" hx-swap-oob="innerHTML"><span class="saved-status__text">'
        r"(.*?)</span></div>",
        html,
    )
    assert found, "no announcement for the live region"
    return unescape(found.group(1))


def test_in_place_edits_of_an_issue_say_what_was_saved(world, login):
    issue = NewsletterFactory(organization=world.org)
    first = NewsletterItemFactory(newsletter=issue, title="First", position=0)
    second = NewsletterItemFactory(newsletter=issue, title="Second", position=1)
    client = login(world.coordinator)
    edited = edit_in_place(client, first, title="Maria's story", included="on", body="", url="")
    assert saved_status(edited.content.decode()) == "Saved: “Maria's story”."
    refused = edit_in_place(client, first, title="", included="on")
    assert 'id="saved-status"' not in refused.content.decode()  # nothing was saved
    moved = client.post(
        f"/o/riverside/newsletters/{issue.pk}/items/{second.pk}/move/",
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert saved_status(moved.content.decode()) == "Moved “Second” up."


def test_saving_an_issues_subject_in_place_says_so(world, login):
    issue = NewsletterFactory(organization=world.org, subject="Old subject")
    response = login(world.coordinator).post(
        f"/o/riverside/newsletters/{issue.pk}/",
        {"subject": "This week in Riverside", "introduction": "Hello"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert saved_status(response.content.decode()) == "Saved: the issue “This week in Riverside”."
