from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_scopes import scope

from backbone.access import access, org_view
from backbone.forms import INVALID_FORM, add_service_errors
from initiatives.models import Initiative
from stakeholders.models import ConsentStatus

from . import newsletters as service
from .newsletter_forms import ItemForm, NewsletterForm, NoteForm, ScheduleForm
from .newsletter_models import Delivery, InitiativeOptOut, Newsletter, NewsletterItem


def _newsletter(request, newsletter_id: int) -> Newsletter:
    return access(
        request, Newsletter.objects.select_related("audience_initiative"), pk=newsletter_id
    )


@org_view("newsletters.manage")
def index(request):
    newsletters = service.newsletter_stats(
        Newsletter.objects.filter(organization=request.organization)
    )
    return render(request, "plans/newsletters/index.html", {"newsletters": newsletters})


@org_view("newsletters.manage")
@require_POST
def create(request):
    newsletter = service.newsletter_create(
        organization=request.organization, created_by=request.user
    )
    messages.success(request, _("A draft was prepared from what happened since the last issue."))
    return redirect(
        "newsletters:detail", org_slug=request.organization.slug, newsletter_id=newsletter.pk
    )


def _detail_context(request, newsletter, form=None, note_form=None, schedule_form=None):
    counts = service.audience_counts(newsletter)
    stats = service.newsletter_stats(Newsletter.objects.filter(pk=newsletter.pk)).get()
    return {
        "newsletter": newsletter,
        "stats": stats,
        "items": list(newsletter.items.order_by("position", "id")),
        "form": form or NewsletterForm(instance=newsletter, organization=request.organization),
        "note_form": note_form or NoteForm(prefix="note"),
        "schedule_form": schedule_form
        or ScheduleForm(initial={"scheduled_for": newsletter.scheduled_for}),
        "counts": counts,
    }


@org_view("newsletters.manage")
def detail(request, newsletter_id: int):
    newsletter = _newsletter(request, newsletter_id)
    form = None
    if request.method == "POST":
        form = NewsletterForm(request.POST, instance=newsletter, organization=request.organization)
        if not newsletter.is_editable:
            form.add_error(None, _("This issue is already being sent and can no longer change."))
        elif form.is_valid():
            form.save()
            if request.htmx:
                form = None
            else:
                messages.success(request, _("Saved."))
                return redirect(
                    "newsletters:detail",
                    org_slug=request.organization.slug,
                    newsletter_id=newsletter.pk,
                )
    context = _detail_context(request, newsletter, form=form)
    if request.htmx:
        return render(request, "plans/newsletters/detail.html#settings", context)
    return render(
        request, "plans/newsletters/detail.html", context, status=INVALID_FORM if form else 200
    )


@org_view("newsletters.manage")
@require_POST
def item_edit(request, newsletter_id: int, item_id: int):
    newsletter = _newsletter(request, newsletter_id)
    item = access(request, NewsletterItem, pk=item_id, newsletter=newsletter)
    form = ItemForm(request.POST, instance=item, prefix=f"item-{item.pk}")
    error = None
    if not newsletter.is_editable:
        error = _("This issue is already being sent and can no longer change.")
    elif form.is_valid():
        form.save()
    else:
        error = "; ".join(e for errors in form.errors.values() for e in errors)
    if request.htmx:
        item.refresh_from_db()
        return render(
            request,
            "plans/newsletters/detail.html#item",
            {"newsletter": newsletter, "item": item, "item_error": error},
        )
    if error:
        messages.error(request, error)
    return redirect(
        "newsletters:detail", org_slug=request.organization.slug, newsletter_id=newsletter.pk
    )


@org_view("newsletters.manage")
@require_POST
def item_move(request, newsletter_id: int, item_id: int):
    newsletter = _newsletter(request, newsletter_id)
    item = access(request, NewsletterItem, pk=item_id, newsletter=newsletter)
    try:
        service.item_move(item=item, direction=-1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    if request.htmx:
        return render(
            request,
            "plans/newsletters/detail.html#items",
            {"newsletter": newsletter, "items": list(newsletter.items.order_by("position", "id"))},
        )
    return redirect(
        "newsletters:detail", org_slug=request.organization.slug, newsletter_id=newsletter.pk
    )


@org_view("newsletters.manage")
@require_POST
def item_add(request, newsletter_id: int):
    newsletter = _newsletter(request, newsletter_id)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            service.item_add_note(newsletter=newsletter, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Item added."))
            return redirect(
                "newsletters:detail",
                org_slug=request.organization.slug,
                newsletter_id=newsletter.pk,
            )
    return render(
        request,
        "plans/newsletters/detail.html",
        _detail_context(request, newsletter, note_form=form),
        status=INVALID_FORM,
    )


@org_view("newsletters.manage")
def preview(request, newsletter_id: int):
    newsletter = _newsletter(request, newsletter_id)
    issue = service.render_issue(newsletter)
    if request.GET.get("format") == "text":
        return HttpResponse(issue.text, content_type="text/plain; charset=utf-8")
    return HttpResponse(issue.html)


@org_view("newsletters.manage")
@require_POST
def send_test(request, newsletter_id: int):
    newsletter = _newsletter(request, newsletter_id)
    service.newsletter_send_test(newsletter=newsletter, user=request.user)
    messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return redirect(
        "newsletters:detail", org_slug=request.organization.slug, newsletter_id=newsletter.pk
    )


@org_view("newsletters.manage")
@require_POST
def send(request, newsletter_id: int):
    newsletter = _newsletter(request, newsletter_id)
    try:
        count = service.newsletter_send_now(newsletter=newsletter, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Sending to %(count)s people.") % {"count": count})
    return redirect(
        "newsletters:detail", org_slug=request.organization.slug, newsletter_id=newsletter.pk
    )


@org_view("newsletters.manage")
@require_POST
def schedule(request, newsletter_id: int):
    newsletter = _newsletter(request, newsletter_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            service.newsletter_schedule(
                newsletter=newsletter, when=form.cleaned_data["scheduled_for"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Scheduled."))
            return redirect(
                "newsletters:detail",
                org_slug=request.organization.slug,
                newsletter_id=newsletter.pk,
            )
    return render(
        request,
        "plans/newsletters/detail.html",
        _detail_context(request, newsletter, schedule_form=form),
        status=INVALID_FORM,
    )


# Public pages: reached from a mail, no account ---------------------------------------


def _from_token(request, token):
    try:
        return service.delivery_from_token(token, service.UNSUBSCRIBE_SALT)
    except signing.SignatureExpired:
        return None, _("This link has expired. Use the link in a more recent newsletter.")
    except (signing.BadSignature, Delivery.DoesNotExist, KeyError, ValueError):
        return None, _("This link is not valid. Check that you copied the whole link.")


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no session.
def unsubscribe(request, token: str):
    delivery, problem = _from_token(request, token)
    if delivery is None:
        return render(
            request, "plans/newsletters/token_error.html", {"problem": problem}, status=400
        )
    with scope(organization=delivery.organization):
        if request.method == "POST":
            service.delivery_unsubscribe(delivery=delivery)
            delivery.contact.refresh_from_db()
        done = delivery.contact.consent == ConsentStatus.WITHDRAWN
        return render(
            request,
            "plans/newsletters/unsubscribe.html",
            {"delivery": delivery, "done": done, "token": token},
        )


def preferences(request, token: str):
    delivery, problem = _from_token(request, token)
    if delivery is None:
        return render(
            request, "plans/newsletters/token_error.html", {"problem": problem}, status=400
        )
    with scope(organization=delivery.organization):
        initiatives = list(
            Initiative.objects.filter(organization=delivery.organization, archived_at__isnull=True)
        )
        if request.method == "POST":
            wanted_ids = {int(v) for v in request.POST.getlist("initiative") if v.isdigit()}
            service.preferences_save(
                delivery=delivery, initiatives_wanted=[i for i in initiatives if i.pk in wanted_ids]
            )
            messages.success(request, _("Your choices are saved."))
            return redirect("newsletter_preferences", token=token)
        opted_out = set(
            InitiativeOptOut.objects.filter(contact=delivery.contact).values_list(
                "initiative_id", flat=True
            )
        )
        return render(
            request,
            "plans/newsletters/preferences.html",
            {
                "delivery": delivery,
                "initiatives": initiatives,
                "opted_out": opted_out,
                "token": token,
            },
        )


def click(request, token: str):
    try:
        delivery, payload = service.delivery_from_token(token, service.CLICK_SALT)
    except (signing.BadSignature, Delivery.DoesNotExist, KeyError, ValueError):
        return render(
            request,
            "plans/newsletters/token_error.html",
            {"problem": _("This link is not valid. Check that you copied the whole link.")},
            status=400,
        )
    with scope(organization=delivery.organization):
        try:
            url = service.click_record(delivery=delivery, url=payload["u"])
        except ValidationError:
            return render(
                request,
                "plans/newsletters/token_error.html",
                {"problem": _("This link is not valid.")},
                status=400,
            )
    return HttpResponseRedirect(url)
