"""Demo newsletters for Riverside: two sent issues with deliveries and clicks, and this week's draft.

Written as rows (seed_demo sends no mail); idempotent by (organization, subject).
"""

import datetime as dt

from django.utils import timezone

from backbone.demo import DemoWorld
from stakeholders.models import ConsentStatus, Contact

from .newsletter_models import Delivery, LinkClick, Newsletter, NewsletterItem

ISSUES = [
    (
        21,
        "Riverside this week: 300 voices at the community conversations",
        "Thank you to everyone who came out to the **community conversations** at the library, "
        "the mosque and the Eastside residents' association. What we heard is shaping the common agenda.",
        [
            (
                NewsletterItem.Kind.EVENT,
                "What 300 residents told us",
                "Housing costs and transit came up at every table.",
                "https://riverside.example/conversations",
            ),
            (
                NewsletterItem.Kind.STORY,
                "Maria's story: from the food bank line to the listening team",
                "Maria now co-chairs the listening team.",
                "https://riverside.example/stories/maria",
            ),
            (
                NewsletterItem.Kind.PARTNER,
                "Welcome, Riverside Credit Union",
                "The credit union joins the roundtable and brings financial coaching.",
                "",
            ),
        ],
    ),
    (
        14,
        "Riverside this week: the roundtable adopts its terms of reference",
        "The **leadership roundtable** met on Tuesday and agreed how we will work together.",
        [
            (
                NewsletterItem.Kind.MILESTONE,
                "Terms of reference adopted",
                "Twelve seats across sectors, including two for people with lived experience.",
                "https://riverside.example/roundtable",
            ),
            (
                NewsletterItem.Kind.DATA,
                "New data: households below the low-income measure",
                "The 2025 figure from the city's social services is now approved.",
                "https://riverside.example/data",
            ),
        ],
    ),
]


def _issue(
    organization, days_ago: int, subject: str, intro: str, items, *, sent: bool
) -> Newsletter:
    now = timezone.now()
    sent_at = now - dt.timedelta(days=days_ago)
    week_of = (sent_at.astimezone(organization.tzinfo).date()) - dt.timedelta(
        days=sent_at.weekday()
    )
    newsletter, created = Newsletter.objects.get_or_create(
        organization=organization,
        subject=subject,
        defaults={
            "introduction": intro,
            "week_of": week_of,
            "covers_from": sent_at - dt.timedelta(days=7),
            "covers_until": sent_at,
            "status": Newsletter.Status.SENT if sent else Newsletter.Status.DRAFT,
            "sent_at": sent_at if sent else None,
            "sending_started_at": sent_at if sent else None,
        },
    )
    if created:
        for position, (kind, title, body, url) in enumerate(items, start=1):
            NewsletterItem.objects.create(
                organization=organization,
                newsletter=newsletter,
                kind=kind,
                title=title,
                body=body,
                url=url,
                position=position,
            )
    return newsletter


def seed(world: DemoWorld) -> None:
    organization = world.organizations["riverside"]
    readers = list(
        Contact.objects.filter(organization=organization, consent=ConsentStatus.GIVEN)
        .exclude(email="")
        .order_by("pk")
    )
    for days_ago, subject, intro, items in ISSUES:
        newsletter = _issue(organization, days_ago, subject, intro, items, sent=True)
        if newsletter.deliveries.exists():
            continue
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(
                    organization=organization,
                    newsletter=newsletter,
                    contact=contact,
                    email=contact.email,
                    status=Delivery.Status.SENT,
                    attempts=1,
                    sent_at=newsletter.sent_at,
                )
                for contact in readers
            ]
        )
        linked = [item.url for item in newsletter.items.exclude(url="")]
        for index, delivery in enumerate(deliveries[: max(3, len(deliveries) // 4)]):
            LinkClick.objects.create(
                organization=organization, delivery=delivery, url=linked[index % len(linked)]
            )
    _issue(
        organization,
        0,
        "Riverside this week: data is due Friday",
        "A reminder to partners: **quarterly data** for the poverty reduction indicators is due this Friday.",
        [
            (
                NewsletterItem.Kind.NOTE,
                "Listening team meets Thursday",
                "Everyone with lived experience of poverty is welcome.",
                "",
            )
        ],
        sent=False,
    )
