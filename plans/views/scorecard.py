"""The public community scorecard of an initiative.

Staff: its settings page (publish, unpublish, the agenda in brief, which partners are
listed, the embed snippets). Anyone, without an account, while it is published:
the page (/s/<slug>/), an indicator's embeddable chart (/s/<slug>/charts/<id>/) and its
plain SVG (…/chart.svg), and the public calendar of its events (/s/<slug>/events.ics).

Every public answer first asks the database whether the scorecard is published (one
query), so unpublishing stops it at once; the page and charts then come from the cache,
keyed by the scorecard's version, which `plans.signals` bumps on every change they show."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST
from django_scopes import scope

from backbone.access import access, org_view
from backbone.forms import INVALID_FORM, form_write
from backbone.links import absolute_url, org_url
from initiatives.models import InitiativePartner
from initiatives.selectors import initiatives_visible_to, rows_visible_to
from initiatives.services import initiative_partner_listing
from measures.charts import chart_words, trend_svg
from measures.selectors import approved_series

from ..forms import ScorecardForm
from ..models import Scorecard
from ..selectors.scorecard import (
    public_indicator,
    public_indicators,
    published_scorecard,
    scorecard_data,
)
from ..services import scorecard as services

# How long a version of a page stays cached (a new version is a new key at once; this
# only lets "upcoming" events pass and old versions expire).
CACHE_SECONDS = 600
# The embeddable chart may be framed by any web site; every other page by none.
CSP_EMBEDDABLE = {"frame-ancestors": ["*"]}


def _initiatives(request):
    return initiatives_visible_to(request.membership, include_archived=True)


def _public_path(name: str, scorecard: Scorecard, **kwargs) -> str:
    return reverse(name, kwargs={"slug": scorecard.slug, **kwargs})


def _goto(initiative):
    return redirect(
        org_url(initiative.organization, "plans:scorecard", initiative_id=initiative.pk)
    )


def embed_snippet(url: str, title: str) -> str:
    """The HTML a partner pastes into its own page (plain text here: shown escaped)."""
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="520" height="340" '
        'style="border:0" loading="lazy"></iframe>'
    )


# Staff -------------------------------------------------------------------------------


def _settings_page(request, initiative, *, form=None, status=200):
    scorecard = Scorecard.objects.filter(initiative=initiative).first()
    links = list(
        InitiativePartner.objects.filter(initiative=initiative)
        .select_related("partner")
        .order_by("partner__name", "role")
    )
    charts = []
    if scorecard is not None:
        for indicator in public_indicators(scorecard):
            embed = absolute_url(
                _public_path("scorecard_chart", scorecard, indicator_id=indicator.pk), request
            )
            svg = absolute_url(
                _public_path("scorecard_chart_svg", scorecard, indicator_id=indicator.pk), request
            )
            charts.append((indicator, embed, svg, embed_snippet(embed, indicator.name)))
    context = {
        "initiative": initiative,
        "scorecard": scorecard,
        "form": form or ScorecardForm(instance=scorecard or Scorecard(initiative=initiative)),
        "links": links,
        "charts": charts,
        "public_url": scorecard
        and absolute_url(_public_path("scorecard_public", scorecard), request),
        "feed_url": scorecard
        and absolute_url(_public_path("scorecard_events", scorecard), request),
    }
    return render(request, "plans/scorecards/settings.html", context, status=status)


@org_view("plans.edit")
def scorecard_settings(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id)
    if request.method != "POST":
        return _settings_page(request, initiative)
    access(request, _initiatives(request), pk=initiative_id, write=True)
    scorecard = services.scorecard_of(initiative=initiative)
    form = ScorecardForm(request.POST, instance=scorecard)
    if form_write(form, services.scorecard_update, scorecard=scorecard, by=request.user):
        messages.success(request, _("Saved."))
        return _goto(initiative)
    return _settings_page(request, initiative, form=form, status=INVALID_FORM)


@org_view("plans.edit")
@require_POST
def scorecard_publish(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id, write=True)
    services.scorecard_publish(scorecard=services.scorecard_of(initiative=initiative))
    messages.success(request, _("The scorecard is public: anyone with its address can read it."))
    return _goto(initiative)


@org_view("plans.edit")
@require_POST
def scorecard_unpublish(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id, write=True)
    scorecard = Scorecard.objects.filter(initiative=initiative).first()
    if scorecard is not None:
        services.scorecard_unpublish(scorecard=scorecard)
    messages.success(
        request, _("The scorecard is no longer public: its address and charts answer “not found”.")
    )
    return _goto(initiative)


@org_view("plans.edit")
@require_POST
def scorecard_partner_listing(request, initiative_partner_id: int):
    """Record a partner's choice to be named on the scorecard, or not."""
    link = access(
        request,
        rows_visible_to(request.membership, InitiativePartner),
        pk=initiative_partner_id,
        write=True,
    )
    listed = request.POST.get("listed") == "1"
    initiative_partner_listing(link=link, listed=listed)
    messages.success(
        request,
        (
            _("%(partner)s is listed on the public scorecard.")
            if listed
            else _("%(partner)s is no longer listed on the public scorecard.")
        )
        % {"partner": link.partner.name},
    )
    return _goto(link.initiative)


# Anyone ------------------------------------------------------------------------------


def published_or_404(slug: str) -> Scorecard:
    scorecard = published_scorecard(slug)
    if scorecard is None:
        raise Http404
    return scorecard


def cache_key(scorecard: Scorecard, what: str) -> str:
    """The key of one cached answer: the scorecard's slug (random), the moment it was last
    published and its version, so no other scorecard's or older answer can ever match."""
    published = scorecard.published_at.timestamp() if scorecard.published_at else 0
    language = scorecard.organization.language
    return f"scorecard:{scorecard.slug}:{published:.6f}:v{scorecard.version}:{language}:{what}"


def _public(response: HttpResponse) -> HttpResponse:
    # Shared caches and browsers ask again each time, so an unpublished page is gone at once.
    response["Cache-Control"] = "no-cache"
    response["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


def _cached(scorecard: Scorecard, what: str, make) -> str:
    key = cache_key(scorecard, what)
    made = cache.get(key)
    if made is None:
        organization = scorecard.organization
        with (
            scope(organization=organization),
            translation.override(organization.language),
            timezone.override(organization.tzinfo),
        ):
            made = make()
        cache.set(key, made, CACHE_SECONDS)
    return made


def scorecard_public(request, slug: str):
    scorecard = published_or_404(slug)

    def page() -> str:
        data = scorecard_data(scorecard, now=timezone.now())
        data["page_url"] = absolute_url(_public_path("scorecard_public", scorecard))
        data["charts"] = [
            (shown, _public_path("scorecard_chart", scorecard, indicator_id=shown.indicator.pk))
            for shown in data["indicators"]
        ]
        return render_to_string("plans/scorecards/public.html", data)

    return _public(HttpResponse(_cached(scorecard, "page", page)))


def _chart(scorecard: Scorecard, indicator_id: int) -> tuple[str, str, str]:
    """(svg, words, name) of one indicator the scorecard shows, from its approved values."""

    def make():
        indicator = public_indicator(scorecard, indicator_id)
        if indicator is None:
            return ""
        series = approved_series(indicator)
        targets = list(indicator.targets.all())
        svg = trend_svg(indicator, series, targets=targets)
        return "\n".join([svg, chart_words(indicator, series, targets), indicator.name])

    made = _cached(scorecard, f"chart:{indicator_id}", make)
    if not made:
        raise Http404
    svg, words, name = made.split("\n", 2)
    return svg, words, name


@xframe_options_exempt
@csp_replace(CSP_EMBEDDABLE)
def scorecard_chart(request, slug: str, indicator_id: int):
    """A page made to be put in another site's <iframe>: the chart, its values in words,
    and a link to the whole scorecard."""
    scorecard = published_or_404(slug)
    svg, words, name = _chart(scorecard, indicator_id)
    organization = scorecard.organization
    with translation.override(organization.language):
        html = render_to_string(
            "plans/scorecards/embed.html",
            {
                "svg": svg,
                "words": words,
                "name": name,
                "scorecard": scorecard,
                "initiative": scorecard.initiative,
                "organization": organization,
                "page_url": absolute_url(_public_path("scorecard_public", scorecard)),
            },
        )
    return _public(HttpResponse(html))


@xframe_options_exempt
@csp_replace(CSP_EMBEDDABLE)
def scorecard_chart_svg(request, slug: str, indicator_id: int):
    scorecard = published_or_404(slug)
    svg, _words, _name = _chart(scorecard, indicator_id)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return _public(response)
