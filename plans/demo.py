"""Demo publications for Riverside.

The Poverty Reduction Roundtable has an adopted common agenda (version 1, adopted by
the Leadership roundtable) and a newer draft with changes, two issued report cards
(one at a public link), and the newsletter has two sent issues with deliveries and
clicks, and this week's draft (written as rows: seed_demo sends no mail).

Idempotent: versions are recognised by number, report cards by period, newsletters by
(organization, subject), so a second run changes nothing.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from backbone.demo import DemoWorld
from backbone.tasks import enqueue
from initiatives.models import ActionItem, Initiative, InitiativePartner
from initiatives.services import initiative_partner_listing
from measures.models import Indicator
from stakeholders.models import ConsentStatus, Contact, Partner, Sector

from . import tasks
from .demo_french import seed as seed_french
from .models import (
    BackboneFunction,
    Comment,
    Delivery,
    LinkClick,
    Newsletter,
    NewsletterItem,
    PlanVersion,
    ReportCard,
    ReportCardSchedule,
    Review,
    ReviewAnswer,
    ReviewRespondent,
    Strategy,
    StrategyAction,
)
from .notices import tell_commented
from .scale import sent_deliveries
from .services import plan as services
from .services import report_card as report_cards
from .services import scorecard as scorecard_services

INITIATIVE = "Poverty Reduction Roundtable"

SECTIONS_V1 = {
    "executive_summary": (
        "Riverside's **Poverty Reduction Roundtable** brings together more than thirty "
        "organizations, residents with lived experience of poverty, employers and the City "
        "to reduce poverty in Riverside, together.\n\n"
        "This common agenda says what we agree on: a common understanding of the problem, "
        "a shared vision for change, the goals we will measure together and the strategies "
        "each partner leads. It was drafted over twelve months of community conversations, "
        "learning events and kitchen-table events."
    ),
    "who_we_are": (
        "We are a leadership roundtable of non-profits, government, business, funders, "
        "faith communities and people with lived experience, convened by the Riverside "
        "Collective as the backbone.\n\n"
        "### The consensus we have reached\n\n"
        "- Poverty in Riverside is not one organization's problem, and no program alone "
        "will solve it.\n"
        "- *If we all change just a little bit, our impact will be much greater than the "
        "result of even the best community organization.*\n"
        "- We move from deficit-based to asset-based thinking, and put trust and "
        "relationships at the centre.\n\n"
        "### Why a collective impact approach\n\n"
        "Collective impact gives us five conditions to hold each other to: a **common "
        "agenda**, **shared measurement**, **mutually reinforcing activities**, "
        "**continuous communication** and **backbone support**. Like the cities of "
        "Vibrant Communities, we commit to learn together, evaluate in common and revise "
        "our theory of change every year."
    ),
    "change": (
        "Every Riverside resident has a sufficient income, a safe and affordable home and "
        "a place in the life of the community.\n\n"
        "We want to see 2,000 fewer households living below the poverty line by 2030, "
        "with the largest gains in the neighbourhoods where poverty is deepest."
    ),
    "now": (
        "One household in six in Riverside lives on a low income; one child in five. "
        "Rents rose faster than wages for five years running, and the food bank served "
        "more working families than ever before.\n\n"
        "The data team is agreeing on the baselines of our shared indicators with the "
        "City, the school board and the health unit."
    ),
    "vision_goals": (
        "**Vision:** a Riverside where no one is left behind.\n\n"
        "Our goals are population-level results we measure together:"
    ),
    "strategy_targets": (
        "Each strategy has a lead organization and a target. Partners align their own "
        "work to these strategies: that is what makes our activities mutually reinforcing."
    ),
    "governance": (
        "- The **Leadership roundtable** sets direction and adopts this plan.\n"
        "- A **Steering committee** of eight guides the work between meetings.\n"
        "- The **Data team** keeps our shared measurement honest.\n"
        "- The **Listening team** makes sure residents with lived experience shape "
        "decisions.\n"
        "- **Action teams** lead each strategy.\n\n"
        "The Riverside Community Foundation is our sponsor and fiscal agent and holds two "
        "seats on the roundtable."
    ),
    "budget": (
        "The budget covers the backbone (staff, data and communications) and the "
        "community engagement strategy. Partners bring their own programs; the open budget "
        "counts what each of them leverages."
    ),
    "appendices": (
        "- A. Partners who signed on to the roundtable\n"
        "- B. The glossary of our shared indicators\n"
        "- C. What we heard at the community conversations"
    ),
}

GOALS = [
    (
        "More households with a sufficient income",
        "Fewer households below the low-income measure.",
        [
            ("Living wage employers", "40 employers certified as living wage employers",
             "Riverside Chamber of Commerce"),
            ("Income tax clinics and benefit navigation", "3,000 returns filed for free",
             "Riverside Community Legal Clinic"),
        ],
    ),
    (
        "Safe and affordable homes",
        "Fewer households spending more than 30% of income on shelter.",
        [
            ("Affordable housing pipeline", "250 new affordable units",
             "City of Riverside Housing Services"),
        ],
    ),
    (
        "Every child off to a good start",
        "Fewer children growing up in low-income households.",
        [
            ("Free early learning spaces", "300 subsidized spaces", "Riverside Early Years Network"),
        ],
    ),
]  # fmt: skip

ENGAGEMENT = [
    ("inform", "Monthly newsletter and data sheets", 1500, "subscribers", "2500"),
    ("consult", "Community conversations", 300, "residents at community conversations", "12000"),
    ("consult", "Kitchen-table events", 40, "kitchen-table hosts", "4000"),
    ("involve", "Listening team of residents with lived experience", 12, "members", "9000"),
]

BUDGET = [
    ("Backbone staff (coordinator and data lead)", "145000", 2025, "Riverside Community Foundation"),
    ("Community engagement strategy", "27500", 2025, "United Way Riverside"),
    ("Shared measurement and data sheets", "18000", 2025, "City of Riverside"),
    ("Backbone staff (coordinator and data lead)", "150000", 2026, "Riverside Community Foundation"),
    ("Community engagement strategy", "30000", 2026, "United Way Riverside"),
]  # fmt: skip

PARTNER_SECTORS = {
    "Riverside Chamber of Commerce": Sector.BUSINESS,
    "Riverside Community Legal Clinic": Sector.NON_PROFIT,
    "City of Riverside Housing Services": Sector.GOVERNMENT,
    "Riverside Early Years Network": Sector.EDUCATION,
    "United Way Riverside": Sector.FUNDER,
}


def _partner(organization, name: str) -> Partner:
    partner = Partner.objects.filter(organization=organization, name__iexact=name).first()
    if partner is None:
        partner = Partner.objects.create(
            organization=organization, name=name, sector=PARTNER_SECTORS[name]
        )
    return partner


# Strategy → the indicator it moves, the target value and its date.
TARGETS = {
    "Living wage employers": ("Households below the low-income measure", "12000", "2028-12-31"),
    "Income tax clinics and benefit navigation": (
        "People helped to file taxes and claim benefits", "900", "2027-12-31"),
    "Affordable housing pipeline": (
        "Households on the affordable housing waitlist", "2300", "2027-12-31"),
}  # fmt: skip

# Issued report cards: period → narrative. The 2025 one is published at a public link.
REPORT_CARDS = {
    "2025": (
        "Our first annual report card. **Fewer households live below the low-income "
        "measure** than at baseline, and the poverty rate fell for the second year running.\n\n"
        "Tax clinics filed more returns than ever; the housing waitlist is still growing, "
        "which the roundtable will take up at its spring retreat."
    ),
    "2026-H1": (
        "Six months into the adopted plan. Food bank visits are edging down and tax clinics "
        "keep unlocking benefits for families.\n\n"
        "- Living wage employers: recruitment starts in the fall.\n"
        "- The data team added an age breakdown to the tax clinic indicator."
    ),
}


def _fill(version: PlanVersion, organization) -> None:
    for key, body in SECTIONS_V1.items():
        services.section_update(version=version, key=key, body=body)
    indicators = {i.name: i for i in Indicator.objects.filter(initiative=version.plan.initiative)}
    for title, description, strategies in GOALS:
        goal = services.goal_create(version=version, title=title, description=description)
        for strategy, target, lead in strategies:
            created = services.strategy_create(
                goal=goal, title=strategy, target=target, lead_partner=_partner(organization, lead)
            )
            if strategy in TARGETS and TARGETS[strategy][0] in indicators:
                name, value, date = TARGETS[strategy]
                services.strategy_target_create(
                    strategy=created,
                    indicator=indicators[name],
                    value=Decimal(value),
                    date=datetime.date.fromisoformat(date),
                )
    for level, title, number, target, budget in ENGAGEMENT:
        services.engagement_activity_create(
            version=version,
            level=level,
            title=title,
            target_number=number,
            target=target,
            budget=Decimal(budget),
            lead_partner=_partner(organization, "United Way Riverside"),
        )
    for item, amount, year, source in BUDGET:
        services.budget_line_create(
            version=version, item=item, amount=Decimal(amount), year=year, source=source
        )


def _change(version: PlanVersion, organization) -> None:
    """What the roundtable is discussing for version 2."""
    sections = {s.key: s for s in version.sections.all()}
    services.section_update(
        version=version,
        key="change",
        body=sections["change"].body.replace("2,000 fewer households", "2,500 fewer households")
        + "\n\nWe add a second horizon: by 2035, halve child poverty in Riverside.",
    )
    services.section_update(
        version=version,
        key="now",
        body=sections["now"].body
        + "\n\nThe first shared report card shows 4,210 households supported by tax clinics "
        "in 2025, ahead of target.",
    )
    goal = services.goal_create(
        version=version,
        title="Residents connected and heard",
        description="More residents with lived experience in decision-making roles.",
    )
    services.strategy_create(
        goal=goal,
        title="Lived experience leadership program",
        target="25 graduates in decision-making roles",
        lead_partner=_partner(organization, "United Way Riverside"),
    )
    for item, amount, source in [
        ("Backbone staff (coordinator and data lead)", "155000", "Riverside Community Foundation"),
        ("Lived experience leadership program", "22000", "United Way Riverside"),
    ]:
        services.budget_line_create(
            version=version, item=item, amount=Decimal(amount), year=2027, source=source
        )


def seed(world: DemoWorld) -> None:
    seed_french(world)
    organization = world.organizations["riverside"]
    initiative, _created = Initiative.objects.get_or_create(
        organization=organization,
        name=INITIATIVE,
        defaults={
            "issue": "Poverty",
            "start_date": datetime.date(2025, 1, 15),
            "geography": "City of Riverside",
        },
    )
    plan = services.plan_start(initiative=initiative)
    first = PlanVersion.objects.get(plan=plan, number=1)
    if not first.is_adopted:
        _fill(first, organization)
        services.version_adopt(
            version=first,
            adopted_on=datetime.date(2025, 11, 20),
            adopted_by_body="Leadership roundtable",
            user=world.users["coordinator@riverside.example"],
        )
    if not PlanVersion.objects.filter(plan=plan, number=2).exists():
        draft = services.draft_start(plan=plan)
        _change(draft, organization)
        tell_commented(
            Comment.objects.create(
                organization=organization,
                version=draft,
                section_key="change",
                author=world.users["roundtable@riverside.example"],
                body="Halving child poverty by 2035 is bold. Can the data team confirm the "
                "baseline before we adopt it?",
            )
        )
    world.lines.append(
        f"Plans: {INITIATIVE} has an adopted common agenda (version 1) and a draft (version 2)."
    )
    _strategy_actions(plan)
    _report_cards(world, initiative)
    _newsletters(world)
    _scorecard(world, initiative)
    _reviews(world)


SCORECARD_SUMMARY = (
    "Riverside's partners share one goal: **halve child poverty by 2035**. Together we "
    "measure the same things, align what we do, and report to the community twice a year.\n\n"
    "- More families with enough income to cover the basics\n"
    "- Fewer households relying on the food bank\n"
    "- People with lived experience of poverty at the decision-making table"
)


def _scorecard(world: DemoWorld, initiative: Initiative) -> None:
    """The initiative's public community scorecard, published, naming six partners that
    chose to be listed; the command prints its address."""
    card = scorecard_services.scorecard_of(initiative=initiative)
    if not card.summary:
        card = scorecard_services.scorecard_update(scorecard=card, summary=SCORECARD_SUMMARY)
    links = InitiativePartner.objects.filter(initiative=initiative).order_by("pk")[:6]
    for link in links:
        if not link.listed_publicly:
            initiative_partner_listing(link=link, listed=True)
    if not card.published:
        card = scorecard_services.scorecard_publish(scorecard=card)
    world.lines.append(
        f"Public scorecard of {INITIATIVE}: http://127.0.0.1:8000/s/{card.slug}/ "
        "(no account needed)"
    )


def _strategy_actions(plan) -> None:
    """In the draft, the joint plan of action's items serve the first strategies."""
    draft = PlanVersion.objects.filter(plan=plan, status=PlanVersion.Status.DRAFT).first()
    if draft is None or StrategyAction.objects.filter(strategy__goal__version=draft).exists():
        return
    strategies = list(
        Strategy.objects.filter(goal__version=draft).order_by("goal__position", "position", "pk")
    )
    actions = list(ActionItem.objects.filter(initiative=plan.initiative).order_by("pk"))
    for strategy, action in zip(strategies, actions, strict=False):
        services.strategy_action_link(strategy=strategy, action_item=action)


def _report_cards(world: DemoWorld, initiative: Initiative) -> None:
    """Two issued report cards (2025, 2026-H1), the first at a public link; six-monthly
    report cards are scheduled."""
    coordinator = world.users["coordinator@riverside.example"]
    for period, narrative in REPORT_CARDS.items():
        card = ReportCard.objects.filter(initiative=initiative, period=period).first()
        if card is None:
            card = report_cards.report_card_create(
                initiative=initiative, period=period, narrative=narrative
            )
        if not card.is_issued:
            try:
                card = report_cards.report_card_issue(card=card, user=coordinator)
            except ValidationError:
                continue  # no approved data for the period (measures demo not seeded)
            enqueue(tasks.render_report_card_pdf, organization_id=card.organization_id,
                    report_card_id=card.pk)  # fmt: skip
        if period == "2025" and not card.public_token:
            report_cards.report_card_publish(card=card)
    if not ReportCardSchedule.objects.filter(initiative=initiative).exists():
        report_cards.schedule_set(initiative=initiative, cadence="semi_annual")
    public = ReportCard.objects.filter(initiative=initiative, public_token__isnull=False).first()
    if public:
        world.lines.append(
            f"Report cards: 2025 and 2026-H1 issued; public link /r/{public.public_token}/"
        )


# Newsletters -------------------------------------------------------------------------

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
    sent_at = now - datetime.timedelta(days=days_ago)
    week_of = (sent_at.astimezone(organization.tzinfo).date()) - datetime.timedelta(
        days=sent_at.weekday()
    )
    newsletter, created = Newsletter.objects.get_or_create(
        organization=organization,
        subject=subject,
        defaults={
            "introduction": intro,
            "week_of": week_of,
            "covers_from": sent_at - datetime.timedelta(days=7),
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


def _newsletters(world: DemoWorld) -> None:
    """Two sent issues with deliveries and clicks, and this week's draft."""
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
        deliveries = Delivery.objects.bulk_create(sent_deliveries(newsletter, readers))
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


# Backbone effectiveness reviews: last year's closed (answers, the team's view, a response)
# and this year's open with a few answers. Rows are written as they would be after the
# links were mailed and answered: seed_demo sends no mail.

REVIEW_ANSWERS = [
    # ratings of the six functions (None: don't know), comment on vision, challenging, working
    ((4, 3, 2, 3, None, 4), "The common agenda is clear and we refer to it.",
     "Data requests arrive at our busiest time of year.", "The monthly roundtable."),
    ((5, 4, 3, 2, 2, 3), "", "Too many meetings for a small organization.",
     "Coordinators answer quickly."),
    ((4, 4, 2, 3, 3, 4), "We know where we are going.", "Shared measurement is still new to us.",
     ""),
    ((3, 3, 3, 2, None, 3), "Strategy could be revisited with residents.", "",
     "Kitchen-table events."),
    ((4, 5, 2, 3, 2, 5), "", "The dashboards are hard to read.", "Funding was found for year two."),
]  # fmt: skip


def _review_answer(review, respondent, values, comment, challenging, working, **extra):
    ReviewAnswer.objects.create(
        organization=review.organization,
        review=review,
        ratings=dict(zip(BackboneFunction.values, values, strict=True)),
        comments={"vision": comment} if comment else {},
        challenging=challenging,
        working=working,
        **extra,
    )
    if respondent is not None:
        respondent.answered_at = respondent.sent_at + datetime.timedelta(days=2)
        respondent.save(update_fields=["answered_at"])


def _review(world, year: int, closes_on: datetime.date, answered: int, people) -> Review:
    organization = world.organizations["riverside"]
    review, created = Review.objects.get_or_create(
        organization=organization,
        initiative=None,
        year=year,
        defaults={
            "closes_on": closes_on,
            "asked_by": "Amara Okafor, Executive Director",
            "message": "Once a year we ask partners, funders and residents how well the "
            "backbone does its six jobs, and we tell the roundtable what we will change.",
            "opened_by": world.users["admin@riverside.example"],
        },
    )
    if not created:
        return review
    sent_at = timezone.now() - datetime.timedelta(days=(timezone.localdate() - closes_on).days + 20)
    respondents = [
        ReviewRespondent.objects.create(
            organization=organization, review=review, name=name, email=email, sent_at=sent_at,
            mailed_at=sent_at,
        )
        for name, email in people
    ]  # fmt: skip
    for respondent, answer in zip(respondents[:answered], REVIEW_ANSWERS, strict=False):
        _review_answer(review, respondent, *answer)
    return review


def _reviews(world: DemoWorld) -> None:
    organization = world.organizations["riverside"]
    today = timezone.localdate(timezone=organization.tzinfo)
    people = [
        (f"{c.first_name} {c.last_name}", c.email)
        for c in Contact.objects.filter(organization=organization)
        .exclude(email="")
        .order_by("pk")[:6]
    ]
    last = _review(world, today.year - 1, today - datetime.timedelta(days=300), 5, people)
    if last.is_open:
        _review_answer(
            last, None, (4, 4, 3, 4, 3, 4), "We hold the vision well.",
            "Staff turnover at partners.", "Our partners trust us.",
            is_self_assessment=True, author=world.users["coordinator@riverside.example"],
            respondent_name="Daniel Tremblay",
        )  # fmt: skip
        last.response = (
            "We will send data requests a month earlier, publish a plain-language dashboard, "
            "and hold the roundtable every second month with working groups in between."
        )
        last.status = Review.Status.CLOSED
        last.closed_at = timezone.now() - datetime.timedelta(days=280)
        last.pdf_status = Review.PdfStatus.RENDERING
        last.save()
        enqueue(tasks.render_review_pdf, organization_id=organization.pk, review_id=last.pk)
    _review(world, today.year, today + datetime.timedelta(days=21), 2, people)
    world.lines.append(
        f"Reviews: the backbone review {today.year - 1} is closed with answers and a response; "
        f"{today.year}'s is open with two answers."
    )
