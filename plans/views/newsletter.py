"""Newsletter pages: the issues, drafting and editing one, previewing, sending it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.deletion import confirm_page
from backbone.forms import INVALID_FORM, add_service_errors, form_status
from backbone.links import org_url
from backbone.saved import announce_saved
from backbone.tasks import enqueue

from .. import tasks
from ..forms import NewsletterForm, NewsletterItemForm, NewsletterNoteForm, NewsletterScheduleForm
from ..models import Newsletter, NewsletterItem
from ..selectors.newsletter import (
    audience_counts,
    issue_stats,
    newsletter_draft_of_week,
    newsletters_newest_first,
)
from ..services import newsletter as service
from ..services.delivery import newsletter_send_test, render_issue

# The statuses whose page shows how the issue did (delivered, failed, clicks…).
STATS_SHOWN = {Newsletter.Status.SENDING, Newsletter.Status.SENT, Newsletter.Status.FAILED}


def _newsletters():
    return Newsletter.objects.select_related("audience_initiative")


@org_view("newsletters.manage")
def index(request):
    newsletters = newsletters_newest_first(request.organization)
    return render(request, "plans/newsletters/index.html", {"newsletters": newsletters})


@org_view("newsletters.manage")
@require_POST
def create(request):
    draft = newsletter_draft_of_week(
        request.organization, service.week_monday(request.organization)
    )
    if draft is not None:
        messages.info(
            request,
            _("This week's issue is already drafted: here it is. Edit it rather than start again."),
        )
        return _goto(draft)
    newsletter = service.newsletter_create(
        organization=request.organization, created_by=request.user
    )
    messages.success(request, _("A draft was prepared from what happened since the last issue."))
    return _goto(newsletter)


def _goto(newsletter: Newsletter):
    return redirect(
        org_url(newsletter.organization, "newsletters:detail", newsletter_id=newsletter.pk)
    )


def _invalid(request, newsletter, **forms):
    """The issue's page again, showing the form that has errors (422)."""
    context = _detail_context(request, newsletter, **forms)
    return render(request, "plans/newsletters/detail.html", context, status=INVALID_FORM)


def _detail_context(request, newsletter, form=None, note_form=None, schedule_form=None):
    counts = audience_counts(newsletter)
    stats = None
    if newsletter.status in STATS_SHOWN:  # a draft has none: not counted
        stats = issue_stats(newsletter)
    return {
        "newsletter": newsletter,
        "stats": stats,
        "items": list(newsletter.items.order_by("position", "id")),
        "form": form or NewsletterForm(instance=newsletter, organization=request.organization),
        "note_form": note_form or NewsletterNoteForm(prefix="note"),
        "schedule_form": schedule_form
        or NewsletterScheduleForm(initial={"scheduled_for": newsletter.scheduled_for}),
        "counts": counts,
    }


@org_view("newsletters.manage")
def detail(request, newsletter_id: int):
    newsletter = access(request, _newsletters(), pk=newsletter_id)
    form = None
    if request.method == "POST":
        form = NewsletterForm(request.POST, instance=newsletter, organization=request.organization)
        if not newsletter.is_editable:
            form.add_error(None, _("This issue is already being sent and can no longer change."))
        elif form.is_valid():
            try:
                form.save(by=request.user)
            except ValidationError as exc:  # changed meanwhile: the form keeps what was typed
                add_service_errors(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Saved."))
                    return _goto(newsletter)
                form = None
    context = _detail_context(request, newsletter, form=form)
    template = "plans/newsletters/detail.html" + ("#settings" if request.htmx else "")
    response = render(request, template, context, status=form_status(form))
    if request.htmx and request.method == "POST" and form is None:
        said = _("Saved: the issue “%(subject)s”.") % {"subject": newsletter.subject}
        return announce_saved(response, request, said)
    return response


@org_view("newsletters.manage")
@require_POST
def item_edit(request, newsletter_id: int, item_id: int):
    newsletter = access(request, _newsletters(), pk=newsletter_id)
    item = access(request, NewsletterItem, pk=item_id, newsletter=newsletter)
    form = NewsletterItemForm(request.POST, instance=item, prefix=f"item-{item.pk}")
    error = seen = None
    if not newsletter.is_editable:
        error = _("This issue is already being sent and can no longer change.")
    elif form.is_valid():
        try:
            form.save(by=request.user)
        except ValidationError as exc:  # changed meanwhile: the card keeps what was typed
            error, seen = "; ".join(exc.messages), getattr(exc, "seen", None)
    else:
        error = "; ".join(e for errors in form.errors.values() for e in errors)
    if error:
        _as_typed(item, form, error, seen)
    elif request.htmx:
        item.refresh_from_db()
    if request.htmx:
        context = {"newsletter": newsletter, "item": item}
        response = render(request, "plans/newsletters/detail.html#item", context)
        if error:
            return response
        return announce_saved(response, request, _("Saved: “%(item)s”.") % {"item": item.title})
    if error:  # without JavaScript: the whole page, with this card as it was typed
        context = _detail_context(request, newsletter)
        context["items"] = [item if other.pk == item.pk else other for other in context["items"]]
        return render(request, "plans/newsletters/detail.html", context, status=INVALID_FORM)
    messages.success(request, _("Saved."))
    return _goto(newsletter)


def _as_typed(item: NewsletterItem, form: NewsletterItemForm, error: str, seen: str | None):
    """Show the item's card as the person typed it, with why it was not saved: the
    fingerprint stays the one they saw (or, after a refusal, the row's new one)."""
    for name in ("title", "body", "url"):
        setattr(item, name, form.data.get(form.add_prefix(name), ""))
    item.included = bool(form.data.get(form.add_prefix("included")))
    item.edit_error = error
    item.edit_seen = seen or form.data.get(form.add_prefix("seen"), "")


@org_view("newsletters.manage")
@require_POST
def item_move(request, newsletter_id: int, item_id: int):
    newsletter = access(request, _newsletters(), pk=newsletter_id)
    item = access(request, NewsletterItem, pk=item_id, newsletter=newsletter)
    up = request.POST.get("direction") == "up"
    try:
        service.item_move(item=item, direction=-1 if up else 1)
    except ValidationError as exc:
        said = exc.messages[0]
        if not request.htmx:
            messages.error(request, said)
    else:
        said = (_("Moved “%(item)s” up.") if up else _("Moved “%(item)s” down.")) % {
            "item": item.title
        }
    if request.htmx:
        response = render(
            request,
            "plans/newsletters/detail.html#items",
            {"newsletter": newsletter, "items": list(newsletter.items.order_by("position", "id"))},
        )
        return announce_saved(response, request, said)
    return _goto(newsletter)


@org_view("newsletters.manage")
@require_POST
def item_add(request, newsletter_id: int):
    newsletter = access(request, _newsletters(), pk=newsletter_id)
    form = NewsletterNoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            service.item_add_note(newsletter=newsletter, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Item added."))
            return _goto(newsletter)
    return _invalid(request, newsletter, note_form=form)


@org_view("newsletters.manage")
def preview(request, newsletter_id: int):
    newsletter = access(request, _newsletters(), pk=newsletter_id)
    issue = render_issue(newsletter)
    if request.GET.get("format") == "text":
        return HttpResponse(issue.text, content_type="text/plain; charset=utf-8")
    return HttpResponse(issue.html)


@org_view("newsletters.manage")
@require_POST
def send_test(request, newsletter_id: int):
    newsletter = access(request, _newsletters(), pk=newsletter_id)
    newsletter_send_test(newsletter=newsletter, user=request.user)
    messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return _goto(newsletter)


@org_view("newsletters.manage")
def send(request, newsletter_id: int):
    newsletter = access(request, _newsletters(), pk=newsletter_id)
    if request.method != "POST" and not newsletter.is_editable:
        return _goto(newsletter)  # sent or sending already: nothing to confirm
    if request.method != "POST":
        counts = audience_counts(newsletter)
        return confirm_page(
            request,
            title=_("Send “%(subject)s” now?") % {"subject": newsletter.subject},
            lead=ngettext(
                "It is e-mailed to %(count)s person at once, who agreed to get it; "
                "%(excluded)s other contacts are left out. A sent e-mail can't be called back.",
                "It is e-mailed to %(count)s people at once, who agreed to get it; "
                "%(excluded)s other contacts are left out. A sent e-mail can't be called back.",
                counts["recipients"],
            )
            % {"count": counts["recipients"], "excluded": counts["excluded"]},
            button=_("Send now"),
            button_class="",
            cancel_url=org_url(
                request.organization, "newsletters:detail", newsletter_id=newsletter.pk
            ),
        )
    try:
        count, started = service.newsletter_send_now(newsletter=newsletter, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if started:
            enqueue(tasks.send_newsletter, organization_id=newsletter.organization_id,
                    newsletter_id=newsletter.pk)  # fmt: skip
        messages.success(request, _("Sending to %(count)s people.") % {"count": count})
    return _goto(newsletter)


@org_view("newsletters.manage")
@require_POST
def schedule(request, newsletter_id: int):
    newsletter = access(request, _newsletters(), pk=newsletter_id)
    form = NewsletterScheduleForm(request.POST)
    if form.is_valid():
        try:
            service.newsletter_schedule(
                newsletter=newsletter, when=form.cleaned_data["scheduled_for"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Scheduled."))
            return _goto(newsletter)
    return _invalid(request, newsletter, schedule_form=form)
