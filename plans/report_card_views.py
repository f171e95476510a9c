"""Report card pages: per initiative, a card (draft or issued), its PDF and its public link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.forms import INVALID_FORM
from backbone.models import Membership
from backbone.permissions import can
from initiatives.selectors import initiatives_visible_to

from . import report_cards as services
from .forms import NarrativeForm, ReportCardForm, ScheduleForm
from .models import ReportCard, ReportCardSchedule


def report_cards_visible_to(membership: Membership) -> QuerySet[ReportCard]:
    """Cards of initiatives the member sees; drafts only for those who edit them."""
    queryset = ReportCard.objects.filter(
        organization_id=membership.organization_id,
        initiative__in=initiatives_visible_to(membership, include_archived=True),
    )
    if not can(membership, "plans.edit"):
        queryset = queryset.filter(status=ReportCard.Status.ISSUED)
    return queryset.select_related("initiative", "organization")


def _card(request, report_card_id: int) -> ReportCard:
    return access(request, report_cards_visible_to(request.membership), pk=report_card_id)


def _goto(card: ReportCard):
    return redirect("plans:report_card_detail", org_slug=card.organization.slug,
                    report_card_id=card.pk)  # fmt: skip


@org_view("plans.view")
def report_card_list(request, initiative_id: int):
    initiative = get_object_or_404(
        initiatives_visible_to(request.membership, include_archived=True), pk=initiative_id
    )
    return _list_page(request, initiative)


def _list_page(request, initiative, status=200, form=None, schedule_form=None):
    cards = list(report_cards_visible_to(request.membership).filter(initiative=initiative))
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
            or ScheduleForm(initial={"cadence": schedule.cadence if schedule else ""}),
        },
        status=status,
    )


@org_view("plans.edit")
@require_POST
def report_card_create(request, initiative_id: int):
    initiative = get_object_or_404(initiatives_visible_to(request.membership), pk=initiative_id)
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
    initiative = get_object_or_404(initiatives_visible_to(request.membership), pk=initiative_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        services.schedule_set(initiative=initiative, cadence=form.cleaned_data["cadence"])
        messages.success(request, _("Saved."))
        return redirect("plans:report_card_list", org_slug=request.organization.slug,
                        initiative_id=initiative.pk)  # fmt: skip
    return _list_page(request, initiative, status=INVALID_FORM, schedule_form=form)


def _detail_page(request, card, status=200, narrative_form=None):
    editing = can(request.membership, "plans.edit") and not card.is_issued
    data = services.card_data(card)
    context = {
        "card": card,
        "initiative": card.initiative,
        "data": data,
        "pdf_state": services.pdf_state(card, data),
        "editing": editing,
        "narrative_form": narrative_form or (NarrativeForm(instance=card) if editing else None),
        "public_url": request.build_absolute_uri(
            f"/r/{card.public_token}/" if card.public_token else "/"
        ),
    }
    return render(request, "plans/report_cards/detail.html", context, status=status)


@org_view("plans.view")
def report_card_detail(request, report_card_id: int):
    return _detail_page(request, _card(request, report_card_id))


@org_view("plans.edit")
@require_POST
def report_card_narrative(request, report_card_id: int):
    card = _card(request, report_card_id)
    form = NarrativeForm(request.POST, instance=card)
    if form.is_valid():
        try:
            services.report_card_update(card=card, narrative=form.cleaned_data["narrative"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Narrative saved."))
        return _goto(card)
    card.refresh_from_db()
    return _detail_page(request, card, status=INVALID_FORM, narrative_form=form)


@org_view("plans.edit")
@require_POST
def report_card_issue(request, report_card_id: int):
    card = _card(request, report_card_id)
    try:
        services.report_card_issue(card=card, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The report card for %(period)s is issued: it is frozen as it is today.")
            % {"period": card.period},
        )
    return _goto(card)


@org_view("plans.edit")
@require_POST
def report_card_delete(request, report_card_id: int):
    card = _card(request, report_card_id)
    try:
        services.report_card_delete(card=card)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _goto(card)
    messages.success(request, _("Draft report card deleted."))
    return redirect("plans:report_card_list", org_slug=request.organization.slug,
                    initiative_id=card.initiative_id)  # fmt: skip


@org_view("plans.edit")
@require_POST
def report_card_publish(request, report_card_id: int):
    card = _card(request, report_card_id)
    try:
        services.report_card_publish(card=card)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Anyone with the public link can now read this report card."))
    return _goto(card)


@org_view("plans.edit")
@require_POST
def report_card_unpublish(request, report_card_id: int):
    card = _card(request, report_card_id)
    services.report_card_unpublish(card=card)
    messages.success(request, _("The public link is revoked: it no longer opens the card."))
    return _goto(card)


@org_view("plans.download")
def report_card_pdf(request, report_card_id: int):
    """GET: the PDF's state (HTMX polls it); POST: ask for the PDF (a draft's as it is now,
    or an issued card's again if it failed)."""
    card = _card(request, report_card_id)
    if request.method == "POST":
        card = services.report_card_pdf_request(card=card)
        card.refresh_from_db()
    if not request.htmx:
        return _goto(card)
    return render(
        request,
        "plans/report_cards/detail.html#pdf",
        {"card": card, "initiative": card.initiative, "pdf_state": services.pdf_state(card)},
    )


@org_view("plans.download")
def report_card_pdf_download(request, report_card_id: int):
    card = _card(request, report_card_id)
    return _pdf_response(card)


def _pdf_response(card: ReportCard):
    if services.pdf_state(card) != "ready":
        raise Http404
    draft = "" if card.is_issued else " (draft)"
    name = f"{card.initiative.name} - report card {card.period}{draft}.pdf"
    return FileResponse(card.pdf.open("rb"), as_attachment=True, filename=name,
                        content_type="application/pdf")  # fmt: skip
