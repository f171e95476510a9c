"""Irreversible one-click actions take two steps: the GET says what will happen, only the
POST from that page does it."""

from django.core import mail
from django.urls import reverse
from django_scopes import scope

from backbone.models import Membership
from initiatives.models import Commitment
from plans.models import Delivery

from ..initiatives.factories import CommitmentFactory, FeedbackSurveyFactory, InitiativeFactory
from .factories import ConsentingContactFactory, NewsletterFactory, NewsletterItemFactory


def test_send_now_first_says_how_many_people_will_be_mailed_and_mails_no_one(world, login):
    issue = NewsletterFactory(organization=world.org)
    NewsletterItemFactory(newsletter=issue)
    ConsentingContactFactory.create_batch(3, organization=world.org)
    page = login(world.coordinator).get(f"/o/riverside/newsletters/{issue.pk}/send/")
    assert page.status_code == 200
    assert "3 people" in page.text and "at once" in page.text
    assert not mail.outbox
    with scope(organization=world.org):
        assert not Delivery.objects.exists()


def test_the_newsletter_page_leads_to_the_confirmation_instead_of_sending(world, login):
    issue = NewsletterFactory(organization=world.org)
    NewsletterItemFactory(newsletter=issue)
    page = login(world.coordinator).get(f"/o/riverside/newsletters/{issue.pk}/").text
    assert f'href="/o/riverside/newsletters/{issue.pk}/send/"' in page


def test_removing_a_member_first_says_what_they_lose_and_what_stays(world, login):
    member = world.membership(world.partner)
    client = login(world.admin)
    page = client.get(f"/o/riverside/members/{member.pk}/remove/")
    assert page.status_code == 200
    assert world.partner.email in page.text and "What stays" in page.text
    assert Membership.objects.filter(pk=member.pk).exists()
    members = client.get("/o/riverside/members/").text
    assert f'href="/o/riverside/members/{member.pk}/remove/"' in members


def test_removing_a_commitment_first_says_its_answers_stay(world, login):
    initiative = InitiativeFactory(organization=world.org)
    survey = FeedbackSurveyFactory(commitment=CommitmentFactory(initiative=initiative))
    survey.answered_at = survey.sent_at
    survey.save()
    url = reverse(
        "initiatives:commitment_remove",
        kwargs={"org_slug": world.org.slug, "commitment_id": survey.commitment_id},
    )
    client = login(world.coordinator)
    page = client.get(url)
    assert page.status_code == 200
    assert "1 answered feedback survey" in page.text.split("What stays")[1]
    with scope(organization=world.org):
        assert Commitment.objects.filter(pk=survey.commitment_id).exists()
    commitments = client.get(
        reverse(
            "initiatives:commitments",
            kwargs={"org_slug": world.org.slug, "initiative_id": initiative.pk},
        )
    ).text
    assert f'href="{url}"' in commitments
