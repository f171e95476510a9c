"""What the public scorecard shows, read in a fixed number of queries whatever the
initiative's size. Only what is public by nature or by choice: the initiative's name and
agenda in brief, its active population indicators with approved values only (totals;
see `partner_level_values`), baseline and targets, the latest issued report card,
published stories (published only with everyone's consent), public upcoming events
(title, kind, time and place: never notes or attendance) and the partners who chose to
be listed. No person is ever named: no contact, user, champion or author."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from backbone.markdown import render_markdown
from initiatives.models import EngagementEvent, InitiativePartner, Story
from measures.charts import chart_words, trend_svg
from measures.models import Indicator, MeasureLevel, Target
from measures.periods import Period
from measures.selectors import approved_series_for, indicator_status

from ..models import ReportCard, Scorecard

# How many of each list the page shows (the page stays small whatever the initiative holds).
STORIES_SHOWN = 3
EVENTS_SHOWN = 5


def published_scorecard(slug: str) -> Scorecard | None:
    """The published scorecard at `slug`, of whichever organization (the caller has no
    scope yet); None when unknown, unpublished or its initiative archived. One query."""
    if not slug or len(slug) > 80:
        return None
    with scopes_disabled():
        return (
            Scorecard.objects.filter(
                slug=slug, published=True, initiative__archived_at__isnull=True
            )
            .select_related("organization", "initiative")
            .first()
        )


def public_indicators(scorecard: Scorecard) -> QuerySet[Indicator]:
    """The indicators a scorecard shows and lets others embed: active population results."""
    return (
        Indicator.objects.filter(
            initiative_id=scorecard.initiative_id, level=MeasureLevel.POPULATION, is_active=True
        )
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("date")))
        .order_by("name", "pk")
    )


@dataclass
class ShownIndicator:
    indicator: Indicator
    series: list[tuple[Period, Decimal]]
    targets: list[Target]
    svg: str
    words: str
    status: object
    partner_values: list = field(default_factory=list)

    @property
    def latest(self) -> tuple[Period, Decimal] | None:
        return self.series[-1] if self.series else None


def partner_level_values(indicator: Indicator) -> list:
    """Partner-level values the data-sharing rules allow on a public page. The one place
    where they would be added: until `measures.sharing.partner_values_allowed(indicator,
    partner, public=True)` exists, the scorecard shows aggregates only, which every rule
    allows."""
    return []


def shown_indicators(indicators: list[Indicator]) -> list[ShownIndicator]:
    """Each indicator with its approved series and chart: two queries in all (plus the
    targets, prefetched with the indicators)."""
    series_of = approved_series_for(indicators) if indicators else {}
    shown = []
    for indicator in indicators:
        series = series_of.get(indicator.pk, [])
        targets = list(indicator.targets.all())
        shown.append(
            ShownIndicator(
                indicator=indicator,
                series=series,
                targets=targets,
                svg=trend_svg(indicator, series, targets=targets),
                words=chart_words(indicator, series, targets),
                status=indicator_status(indicator, series, targets),
                partner_values=partner_level_values(indicator),
            )
        )
    return shown


def scorecard_data(scorecard: Scorecard, *, now: datetime.datetime) -> dict:
    """Everything the public page shows: seven queries, whatever the initiative holds."""
    initiative = scorecard.initiative
    indicators = list(public_indicators(scorecard))
    card = (
        ReportCard.objects.filter(initiative=initiative, status=ReportCard.Status.ISSUED)
        .defer("snapshot")
        .order_by("-issued_at", "-pk")
        .first()
    )
    stories = list(
        Story.objects.filter(initiative=initiative, published=True)
        .only("title", "text", "published_at", "initiative_id")
        .order_by("-published_at", "-pk")[:STORIES_SHOWN]
    )
    events = list(
        EngagementEvent.objects.filter(initiative=initiative, public=True, starts_at__gte=now)
        .only("title", "kind", "starts_at", "place", "initiative_id")
        .order_by("starts_at", "pk")[:EVENTS_SHOWN]
    )
    partners = sorted(
        {
            link.partner.name
            for link in InitiativePartner.objects.filter(
                initiative=initiative, listed_publicly=True
            ).select_related("partner")
        },
        key=str.casefold,
    )
    return {
        "scorecard": scorecard,
        "initiative": initiative,
        "organization": scorecard.organization,
        "summary": render_markdown(scorecard.summary or initiative.description),
        "indicators": shown_indicators(indicators),
        "report_card": card,
        "stories": [(story, render_markdown(story.text)) for story in stories],
        "events": events,
        "partners": partners,
    }


def public_indicator(scorecard: Scorecard, indicator_id: int) -> Indicator | None:
    """One indicator the scorecard shows (for its embeddable chart); None otherwise."""
    return public_indicators(scorecard).filter(pk=indicator_id).first()


def public_events(scorecard: Scorecard, *, since: datetime.datetime) -> QuerySet:
    """The public events of the scorecard's initiative from `since` on (its public calendar)."""
    return EngagementEvent.objects.filter(
        initiative_id=scorecard.initiative_id, public=True, starts_at__gte=since
    ).order_by("starts_at", "pk")
