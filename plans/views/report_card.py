"""Report card pages: per initiative, a card (draft or issued), its PDF and its public link;
and the published card itself, for funders without an account (/r/<token>/).

The token is 256 random bits; an unknown, revoked or unpublished token is a 404.
The public page and PDF come from the issued snapshot only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from backbone.access import access, org_view
from backbone.files import file_response
from backbone.forms import INVALID_FORM, form_write
from backbone.links import org_url
from backbone.permissions import can
from backbone.tasks import enqueue
from initiatives.selectors import initiatives_visible_to

from .. import tasks
from ..forms import NarrativeForm, ReportCardForm, ReportCardScheduleForm
from ..models import ReportCard, ReportCardSchedule
from ..page_cache import cached_page_part
from ..selectors.report_card import (
    card_data,
    pdf_state,
    published_report_card,
    report_cards_visible_to,
)
from ..services import report_card as services
from .outcome import write_and_say


def _cards(request):
    return report_cards_visible_to(request.membership)


def _initiatives(request):
    """Initiatives the member may read, archived ones included (they stay readable)."""
    return initiatives_visible_to(request.membership, include_archived=True)


def _goto(card: ReportCard):
    return redirect(org_url(card.organization, "plans:report_card_detail", report_card_id=card.pk))


@org_view("plans.view")
def report_card_list(request, initiative_id: int):
    return _list_page(request, access(request, _initiatives(request), pk=initiative_id))


def _list_page(request, initiative, status=200, form=None, schedule_form=None):
    cards = list(_cards(request).filter(initiative=initiative))
    schedule = ReportCardSchedule.objects.filter(initiative=initiative).first()
    return render(
        request,
        "plans/report_cards/list.html",
        {
            "initiative": initiative,
            "cards": cards,
            "schedule": schedule,
            "form": form or ReportCardForm(),
            "schedule_form": schedule_form
            or ReportCardScheduleForm(initial={"cadence": schedule.cadence if schedule else ""}),
        },
        status=status,
    )


@org_view("plans.edit")
@require_POST
def report_card_create(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id, write=True)
    form = ReportCardForm(request.POST)
    if form.is_valid():
        try:
            card = services.report_card_create(
                initiative=initiative, period=form.cleaned_data["period"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The report card is drafted from the approved data."))
            return _goto(card)
    return _list_page(request, initiative, status=INVALID_FORM, form=form)


@org_view("plans.edit")
@require_POST
def report_card_schedule(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id, write=True)
    form = ReportCardScheduleForm(request.POST)
    if form.is_valid():
        services.schedule_set(initiative=initiative, cadence=form.cleaned_data["cadence"])
        messages.success(request, _("Saved."))
        return redirect(
            org_url(request.organization, "plans:report_card_list", initiative_id=initiative.pk)
        )
    return _list_page(request, initiative, status=INVALID_FORM, schedule_form=form)


def _card_data(request, card: ReportCard) -> dict:
    """What the card shows: an issued card's snapshot, a draft's data as assembled now
    (from the plan pages cache while nothing it shows changed)."""
    if card.is_issued:
        return card.snapshot
    return cached_page_part(request.membership, f"card:{card.pk}", lambda: card_data(card))


def _detail_page(request, card, status=200, narrative_form=None):
    editing = can(request.membership, "plans.edit") and not card.is_issued
    editing = editing and not card.read_only_reason  # an archived initiative's card
    data = _card_data(request, card)
    context = {
        "card": card,
        "initiative": card.initiative,
        "data": data,
        "pdf_state": pdf_state(card, data),
        "editing": editing,
        "narrative_form": narrative_form or (NarrativeForm(instance=card) if editing else None),
        "public_url": request.build_absolute_uri(
            reverse("report_card_public", kwargs={"token": card.public_token})
            if card.public_token
            else "/"
        ),
    }
    return render(request, "plans/report_cards/detail.html", context, status=status)


@org_view("plans.view")
def report_card_detail(request, report_card_id: int):
    return _detail_page(request, access(request, _cards(request), pk=report_card_id))


@org_view("plans.edit")
@require_POST
def report_card_narrative(request, report_card_id: int):
    card = access(request, _cards(request), pk=report_card_id, write=True)
    form = NarrativeForm(request.POST, instance=card)
    if form_write(form, services.report_card_update, card=card, by=request.user):
        messages.success(request, _("Narrative saved."))
        return _goto(card)
    card.refresh_from_db()
    return _detail_page(request, card, status=INVALID_FORM, narrative_form=form)


@org_view("plans.edit")
@require_POST
def report_card_issue(request, report_card_id: int):
    card = access(request, _cards(request), pk=report_card_id, write=True)
    issued = write_and_say(
        request,
        lambda: services.report_card_issue(card=card, user=request.user),
        _("The report card for %(period)s is issued: it is frozen as it is today.")
        % {"period": card.period},
    )
    if issued:
        enqueue(tasks.render_report_card_pdf, organization_id=card.organization_id,
                report_card_id=card.pk)  # fmt: skip
    return _goto(card)


@org_view("plans.edit")
@require_POST
def report_card_delete(request, report_card_id: int):
    card = access(request, _cards(request), pk=report_card_id, write=True)
    deleted = write_and_say(
        request, lambda: services.report_card_delete(card=card), _("Draft report card deleted.")
    )
    if not deleted:
        return _goto(card)
    return redirect(
        org_url(request.organization, "plans:report_card_list", initiative_id=card.initiative_id)
    )


@org_view("plans.edit")
@require_POST
def report_card_publish(request, report_card_id: int):
    card = access(request, _cards(request), pk=report_card_id, write=True)
    write_and_say(
        request,
        lambda: services.report_card_publish(card=card),
        _("Anyone with the public link can now read this report card."),
    )
    return _goto(card)


@org_view("plans.edit")
@require_POST
def report_card_unpublish(request, report_card_id: int):
    card = access(request, _cards(request), pk=report_card_id, write=True)
    services.report_card_unpublish(card=card)
    messages.success(request, _("The public link is revoked: it no longer opens the card."))
    return _goto(card)


@org_view("plans.download")
def report_card_pdf(request, report_card_id: int):
    """GET: the PDF's state (HTMX polls it); POST: ask for the PDF (a draft's as it is now,
    or an issued card's again if it failed): a reader's request, allowed on an archived
    initiative's cards too."""
    card = access(request, _cards(request), pk=report_card_id)
    if request.method == "POST":
        card, queued = services.report_card_pdf_request(card=card)
        if queued:
            enqueue(tasks.render_report_card_pdf, organization_id=card.organization_id,
                    report_card_id=card.pk)  # fmt: skip
        card.refresh_from_db()
    if not request.htmx:
        return _goto(card)
    return render(
        request,
        "plans/report_cards/detail.html#pdf",
        {
            "card": card,
            "initiative": card.initiative,
            "pdf_state": pdf_state(card, _card_data(request, card)),
        },
    )


@org_view("plans.download")
def report_card_pdf_download(request, report_card_id: int):
    card = access(request, _cards(request), pk=report_card_id)
    return _pdf_response(card, _card_data(request, card))


def _pdf_response(card: ReportCard, data: dict | None = None):
    if pdf_state(card, data) != "ready":
        raise Http404
    draft = "" if card.is_issued else " (draft)"
    name = f"{card.initiative.name} - report card {card.period}{draft}.pdf"
    return file_response(card.pdf, filename=name, attachment=True)


# The published card, reached without an account ------------------------------------


def _published(token: str) -> ReportCard:
    card = published_report_card(token)
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
