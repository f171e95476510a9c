"""Calendar feeds, reached without an account by calendar apps: a member's private feed
(/calendar/<token>.ics; the token is the one `backbone.calendar_feeds` made, an unknown
or revoked one is a 404) and a published scorecard's public events (/s/<slug>/events.ics)."""

from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from backbone.calendar_feeds import calendar_feed_membership

from ..selectors.calendar import member_entries, public_entries, to_ical
from .scorecard import published_or_404


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-cache, private"
    response["X-Robots-Tag"] = "noindex"
    return response


def calendar_feed(request, token: str):
    membership = calendar_feed_membership(token)
    if membership is None:
        raise Http404
    organization = membership.organization
    now = timezone.now()
    with (
        scope(organization=organization),
        translation.override(membership.user.language or organization.language),
    ):
        entries = member_entries(membership, now=now)
        name = _("%(organization)s · Backbone") % {"organization": organization.name}
        body = to_ical(entries, name=name, time_zone=organization.time_zone, now=now)
    return _ics(body, "backbone.ics")


def scorecard_events(request, slug: str):
    scorecard = published_or_404(slug)
    organization = scorecard.organization
    now = timezone.now()
    with scope(organization=organization), translation.override(organization.language):
        body = to_ical(
            public_entries(scorecard, now=now),
            name=scorecard.initiative.name,
            time_zone=organization.time_zone,
            now=now,
        )
    return _ics(body, "events.ics")
