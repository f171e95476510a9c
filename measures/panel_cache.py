"""Measures pages kept as HTML behind the organization's measures stamp
(`chart_cache.MEASURES`): an indicator's page (one cache read instead of fifteen queries
and the drawing of its chart, tables, stories, conflicts and requests), the index, the
agreements registry and an agreement, the approval queue, a value's history, a step of
an indicator review (for the staff), and the empty forms of agreements and indicators
(`kept_form_page`).

What these show beyond the rows the dashboard shows (`chart_cache.SHOWN`) — partners'
names, data requests, a value's history, reviews and their verdicts, agreements with
their parties and indicators — also gives the organization a new stamp when saved or
deleted (`EXTRA`, and the agreements' links through `m2m_changed`). A page is the same for
every staff or roundtable member of one role (their permissions only add panels and
forms), so it is kept per role, language, the organization's day and zone (dates,
agreements in force, what is overdue) and what the view adds (the row, the query string).
A partner user's pages show only their partner's values: never kept.

The pages' forms carry the CSRF token: it is kept as `STAND_IN` and the member's own token
is put in its place on every request. A member's display name shown beside a story or a
change may lag its rename by the stamp's timeout (users belong to no organization)."""

from collections.abc import Callable

from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from backbone.models import Role
from stakeholders.models import Partner

from .chart_cache import MEASURES, cached_fragment
from .models import (
    Agreement,
    DataPointChange,
    DataRequest,
    IndicatorReview,
    IndicatorVerdict,
)

EXTRA = (Partner, DataRequest, Agreement, DataPointChange, IndicatorReview, IndicatorVerdict)
MEASURES.listen(EXTRA)

# Never a token: Django's are 32 or 64 letters and digits.
STAND_IN = "__measures-csrf-token__"


def is_kept(membership) -> bool:
    """Whether this member's pages are the same as every other of their role."""
    return membership.role != Role.PARTNER


def cached_page(
    request, name: str, parts: tuple, make: Callable[[dict], str], *, keep: bool = True
) -> SafeString:
    """The HTML `name` for `parts` as this member's role sees it today: kept (unless not
    `keep`), else `make(extra_context)` (the context carries `STAND_IN` as the CSRF token)
    and kept; the member's own CSRF token in place of `STAND_IN`."""
    extra = {"csrf_token": STAND_IN}
    if keep and is_kept(request.membership):
        zone = timezone.get_current_timezone_name()  # the organization's (its times)
        key = (request.membership.role, timezone.localdate(), zone, *parts)
        html = cached_fragment(request.organization, name, key, lambda: make(extra))
    else:
        html = make(extra)
    if STAND_IN in html:  # a form: the member's own token (letters and digits)
        html = html.replace(STAND_IN, get_token(request))
    return mark_safe(html)  # noqa: S308 -- our own template's output, escaped as it rendered


KEPT_QUERY = 200  # a longer query string is drawn afresh, never kept


def kept_list_page(
    request, template: str, name: str, partial: str, make_context: Callable[[], dict]
) -> HttpResponse:
    """A filtered list: its `partial` of `template` (`results` for htmx, else `body` in the
    page) kept (`cached_page`) per query string while it is short; `make_context()` is
    what the partial shows."""
    query = request.GET.urlencode()

    def make(extra: dict) -> str:
        return render_to_string(f"{template}#{partial}", {**make_context(), **extra}, request)

    keep = len(query) <= KEPT_QUERY
    html = cached_page(request, f"{name}-{partial}", (query,), make, keep=keep)
    if partial == "results":
        return HttpResponse(html)
    return render(request, template, {"body": html})


def kept_form_page(
    request, template: str, name: str, parts: tuple, make_form: Callable, context: dict
) -> HttpResponse:
    """The page of an unbound form (a GET): the `body` partial of `template` — the form
    with everything it offers to choose from — kept (`cached_page`) for `parts` (the row
    edited); `context` is what the page around it shows (its title)."""

    def make(extra: dict) -> str:
        body_context = {"form": make_form(), **context, **extra}
        return render_to_string(f"{template}#body", body_context, request)

    body = cached_page(request, name, parts, make)
    return render(request, template, {**context, "body": body})


@receiver(m2m_changed, sender=Agreement.indicators.through, dispatch_uid="measures-agreed")
@receiver(m2m_changed, sender=Agreement.parties.through, dispatch_uid="measures-parties")
def _agreement_links_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("action", "").startswith("post_"):
        organization_id = getattr(instance, "organization_id", None)
        if organization_id is not None:
            MEASURES.bump(organization_id)
