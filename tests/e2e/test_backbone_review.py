"""A backbone effectiveness review from end to end: the coordinator opens it and asks a
partner user, the partner answers through the one-time link without signing in, the
coordinator closes it, and a roundtable member reads the results and downloads the PDF."""

import re

from django_scopes import scope
from playwright.sync_api import expect
from pypdf import PdfReader

from backbone.models import Role
from plans.models import ReviewRespondent
from tests.factories import MembershipFactory, UserFactory
from tests.plans.factories import ReviewAnswerFactory, ratings


def test_a_review_opened_answered_through_the_link_and_read_by_the_roundtable(
    signed_in, new_page, riverside, tmp_path
):
    org, coordinator = riverside
    partner = UserFactory(email="lee@foodbank.test", first_name="Lee", last_name="Park")
    MembershipFactory(user=partner, organization=org, role=Role.PARTNER)
    member = UserFactory(email="margaret@roundtable.test", first_name="Margaret")
    MembershipFactory(user=member, organization=org, role=Role.ROUNDTABLE)

    page = signed_in(coordinator)
    page.goto("/o/riverside/")
    page.get_by_role("link", name="Reviews").first.click()
    page.get_by_label("Who asks").fill("Maya Chen, Executive Director")
    page.get_by_label("Why we ask").fill("We want to hear how well we serve you.")
    page.get_by_label("Answers until").fill("2099-12-31")
    page.get_by_role("button", name="Open the review").click()
    expect(page.get_by_role("heading", name="People asked")).to_be_visible()
    page.get_by_label(re.compile("Lee Park")).check()
    page.get_by_role("button", name="Add to the people asked").click()
    page.get_by_role("link", name=re.compile("Send 1 link")).click()
    expect(page.get_by_text("This e-mails 1 person a link")).to_be_visible()
    page.get_by_role("button", name="Send the links").click()
    expect(page.get_by_text("Sent", exact=True)).to_be_visible()

    with scope(organization=org):
        respondent = ReviewRespondent.objects.get(email=partner.email)
        for _ in range(2):  # two others answered already: enough for figures
            ReviewAnswerFactory(review=respondent.review, ratings=ratings(3, 3, 3, 3, 3, 3))

    visitor = new_page()
    visitor.goto(f"/review/{respondent.token}/")
    expect(visitor.get_by_text("Maya Chen, Executive Director asks:")).to_be_visible()
    expect(visitor.get_by_text("We want to hear how well we serve you.")).to_be_visible()
    for group in visitor.get_by_role("group").all():
        option = group.get_by_label("5", exact=True)
        if option.count():
            option.check()
    visitor.get_by_label("What works well?").fill("The monthly roundtable keeps us aligned.")
    visitor.get_by_role("button", name="Send my answers").click()
    expect(visitor.get_by_role("heading", name="Thank you!")).to_be_visible()
    visitor.goto(f"/review/{respondent.token}/")
    expect(visitor.get_by_text("This link has already been used")).to_be_visible()

    page.goto(f"/o/riverside/reviews/{respondent.review_id}/")
    page.get_by_role("button", name="Close and publish to the roundtable").click()
    expect(page.get_by_text("The review is closed")).to_be_visible()

    reader = signed_in(member)
    reader.goto("/o/riverside/")
    reader.get_by_role("link", name="Reviews").first.click()
    reader.get_by_role("link", name=re.compile("Whole organization")).click()
    vision = reader.get_by_role("row", name=re.compile("Guide vision and strategy"))
    expect(vision).to_contain_text("3.7")  # 3, 3 and the partner's 5
    expect(reader.get_by_text("The monthly roundtable keeps us aligned.")).to_be_visible()
    download = reader.get_by_role("link", name="Download the PDF")
    expect(download).to_be_visible(timeout=30_000)
    with reader.expect_download() as info:
        download.click()
    path = tmp_path / "review.pdf"
    info.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Guide vision and strategy" in text and "3.7" in text
    assert "The monthly roundtable keeps us aligned." in text
