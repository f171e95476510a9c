"""Pages reached from a newsletter by people without an account (signed links):
unsubscribing, choosing which initiatives to hear about, and tracked clicks."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django_scopes import scope

from backbone.ids import ids_parse
from stakeholders.models import ConsentStatus

from ..models import Delivery
from ..selectors.newsletter import initiatives_opted_out, initiatives_to_choose_from
from ..services import newsletter_links as service

INVALID_LINK = _lazy("This link is not valid. Check that you copied the whole link.")


def _token_error(request, problem: str):
    return render(request, "plans/newsletters/token_error.html", {"problem": problem}, status=400)


def _from_token(request, token):
    try:
        delivery, _payload = service.delivery_from_token(token, service.UNSUBSCRIBE_SALT)
    except signing.SignatureExpired:
        return None, _("This link has expired. Use the link in a more recent newsletter.")
    except (signing.BadSignature, Delivery.DoesNotExist, KeyError, ValueError):
        return None, INVALID_LINK
    if delivery.contact_id is None:  # deleted from the registry: nothing more is sent to them
        return None, _("This address is no longer on the list: no more newsletters go to it.")
    return delivery, None


def _in_their_language(delivery: Delivery):
    """The reader's pages speak the contact's language, else the organization's."""
    return translation.override(delivery.contact.language or delivery.organization.language)


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no session.
def unsubscribe(request, token: str):
    delivery, problem = _from_token(request, token)
    if delivery is None:
        return _token_error(request, problem)
    with scope(organization=delivery.organization), _in_their_language(delivery):
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
        return _token_error(request, problem)
    with scope(organization=delivery.organization), _in_their_language(delivery):
        initiatives = list(initiatives_to_choose_from(delivery.organization))
        if request.method == "POST":
            wanted_ids = set(ids_parse(request.POST.getlist("initiative")))
            service.preferences_save(
                delivery=delivery, initiatives_wanted=[i for i in initiatives if i.pk in wanted_ids]
            )
            messages.success(request, _("Your choices are saved."))
            return redirect("newsletter_preferences", token=token)
        opted_out = initiatives_opted_out(delivery.contact)
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
        return _token_error(request, INVALID_LINK)
    with scope(organization=delivery.organization):
        try:
            url = service.click_record(
                delivery=delivery,
                url=service.click_target(delivery, payload, request.GET.get("to", "")),
            )
        except (ValidationError, signing.BadSignature):
            return _token_error(request, _("This link is not valid."))
    return HttpResponseRedirect(url)
