"""The agreements registry: list, detail, create and edit (stale-safe), end, the document."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.access import access, org_view
from backbone.files import file_response
from backbone.forms import form_page
from backbone.links import org_url, row_url
from initiatives.selectors import initiatives_visible_to
from stakeholders.models import Partner

from .. import agreements
from ..forms import AgreementEndForm, AgreementFilterForm, AgreementForm
from ..models import Agreement, Indicator
from ..panel_cache import cached_page, kept_form_page, kept_list_page
from ..selectors import measured_initiatives

PAGE_SIZE = 25
TEMPLATE = "measures/agreement_form.html"


def _agreement(request, agreement_id, *, write: bool = False):
    return access(
        request, agreements.agreements_visible_to(request.membership), pk=agreement_id, write=write
    )


def _detail_url(request, agreement) -> str:
    return org_url(request.organization, "measures:agreement_detail", agreement_id=agreement.pk)


def _form(request, instance=None) -> AgreementForm:
    initiatives = initiatives_visible_to(request.membership)  # archived ones take no new rows
    return AgreementForm(
        request.POST or None,
        request.FILES or None,
        instance=instance or Agreement(organization=request.organization),
        initiatives=initiatives,
        # The columns the options' labels show (each list may hold PICKER_LIMIT rows).
        partners=Partner.objects.filter(organization=request.organization)
        .only("name")
        .order_by("name"),
        indicators=Indicator.objects.filter(initiative__in=initiatives)
        .only("name", "initiative__name")
        .order_by("initiative__name", "name"),
    )


@org_view("measures.view")
def agreement_list(request):
    """The registry, filtered; kept as HTML per query string (a short one) while the
    organization's measures are unchanged (`measures.panel_cache`)."""
    partial = "results" if request.htmx and not request.htmx.boosted else "body"
    return kept_list_page(
        request,
        "measures/agreement_list.html",
        "agreements",
        partial,
        lambda: _list_context(request),
    )


def _list_context(request) -> dict:
    today = timezone.localdate()
    form = AgreementFilterForm(request.GET, initiatives=measured_initiatives(request.membership))
    data = form.cleaned_data if form.is_valid() else {}
    initiative = data.get("initiative")
    rows = agreements.agreements_filtered(
        request.membership,
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        initiative_id=initiative.pk if initiative else None,
        today=today,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for agreement in page.object_list:
        agreement.status_now = agreement.current_status_label(today)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "today": today,
        "agreement_url": row_url(request.organization, "measures:agreement_detail", "agreement_id"),
    }


@org_view("measures.view")
def agreement_detail(request, agreement_id):
    """An agreement: its parties, terms and indicators; kept as HTML while the
    organization's measures are unchanged (`measures.panel_cache`)."""
    agreement = _agreement(request, agreement_id)

    def make(extra: dict) -> str:
        context = {
            "agreement": agreement,
            "status_now": agreement.current_status_label(timezone.localdate()),
            "parties": agreement.parties.order_by("name"),
            "indicators": agreement.indicators.order_by("name"),
            "end_form": AgreementEndForm(),
            **extra,
        }
        return render_to_string("measures/agreement_detail.html#body", context, request)

    body = cached_page(request, "agreement", (agreement.pk,), make)
    return render(request, "measures/agreement_detail.html", {"agreement": agreement, "body": body})


def _form_page(request, agreement=None):
    """The create or edit page; a save over someone else's change is refused (SeenForm).
    The empty form is kept as HTML (`measures.panel_cache`)."""
    if request.method != "POST":
        parts = (agreement.pk if agreement else None,)
        make_form = lambda: _form(request, agreement)  # noqa: E731
        context = {"agreement": agreement}
        return kept_form_page(request, TEMPLATE, "agreement-form", parts, make_form, context)
    form = _form(request, agreement)
    said = _("Agreement “%(title)s” saved.") if agreement else _("Agreement “%(title)s” added.")
    return form_page(
        request,
        form,
        TEMPLATE,
        {"agreement": agreement},
        save=lambda: form.save(by=request.user),
        done=lambda saved: (said % {"title": saved.title}, _detail_url(request, saved)),
    )


@org_view("measures.define")
def agreement_create(request):
    return _form_page(request)


@org_view("measures.define")
def agreement_edit(request, agreement_id):
    return _form_page(request, _agreement(request, agreement_id, write=request.method == "POST"))


@org_view("measures.define")
def agreement_end(request, agreement_id):
    agreement = _agreement(request, agreement_id, write=request.method == "POST")
    form = AgreementEndForm(request.POST or None)
    return form_page(
        request,
        form,
        "measures/agreement_end.html",
        {"agreement": agreement},
        save=lambda: agreements.agreement_end(
            agreement=agreement,
            by=request.user,
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
        ),
        done=lambda saved: (
            _("Agreement “%(title)s” ended.") % {"title": saved.title},
            _detail_url(request, saved),
        ),
    )


@org_view("measures.view")
def agreement_document(request, agreement_id):
    agreement = _agreement(request, agreement_id)
    if not agreement.document:
        raise Http404
    return file_response(agreement.document, attachment=True)
