"""A published report card, for funders without an account: /r/<token>/.

The token is 256 random bits; an unknown, revoked or unpublished token is a 404.
The page and the PDF come from the issued snapshot only.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django_scopes import scope, scopes_disabled

from .models import ReportCard
from .report_card_views import _pdf_response


def _published(token: str) -> ReportCard:
    if len(token) < 40:
        raise Http404
    with scopes_disabled():
        card = (
            ReportCard.objects.filter(public_token=token, status=ReportCard.Status.ISSUED)
            .select_related("initiative", "organization")
            .first()
        )
    if card is None:
        raise Http404
    return card


def report_card_public(request, token: str):
    card = _published(token)
    with scope(organization=card.organization), translation.override(card.organization.language):
        response = render(
            request,
            "plans/report_cards/public.html",
            {"card": card, "data": card.snapshot, "public_organization": card.organization},
        )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def report_card_public_pdf(request, token: str):
    card = _published(token)
    with scope(organization=card.organization):
        return _pdf_response(card)
