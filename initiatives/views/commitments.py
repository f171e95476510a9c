"""Partners' commitments to an initiative: who signed on, in which role, with what."""

import datetime

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.access import org_view
from backbone.deletion import confirm_page
from backbone.forms import form_status, form_write
from backbone.links import org_url
from backbone.permissions import can

from .. import services
from ..form_cache import kept_fields
from ..forms import CommitmentForm
from ..models import Commitment
from ..selectors import (
    commitment_removal_consequences,
    commitments_of,
    people_view_for,
    surveys_of_removed_commitments,
)
from .pages import access_initiative, access_row, posted_add_form, to_tab


@org_view("initiatives.view")
def commitments(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id)
    form = posted_add_form(request, CommitmentForm, initiative=initiative)
    commitment = form_write(
        form, services.commitment_create, initiative=initiative, by=request.user
    )
    if commitment:
        messages.success(request, _("%(partner)s signed on.") % {"partner": commitment.partner})
        return to_tab(request, "commitments", initiative.pk)
    can_edit = can(request.membership, "initiatives.edit")
    return render(
        request,
        "initiatives/commitments.html",
        {
            "initiative": initiative,
            "tab": "commitments",
            "rows": commitments_of(initiative),
            "removed_surveys": surveys_of_removed_commitments(request.membership, initiative),
            # Renewals in the coming month are flagged: time to send the feedback survey.
            "renewal_horizon": timezone.localdate() + datetime.timedelta(days=31),
            "people_view": people_view_for(request.membership),
            # A posted form shows what was typed; the empty one is kept written (form_cache).
            "add_form": form
            or (kept_fields(CommitmentForm, initiative, auto_id="add_%s") if can_edit else None),
        },
        status=form_status(form),
    )


@org_view("initiatives.edit")
def commitment_remove(request, commitment_id: int):
    commitment = access_row(request, Commitment, commitment_id, write=True)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Remove the commitment of %(p)s?") % {"p": commitment.partner},
            lead=_(
                "The commitment of %(p)s to %(initiative)s is removed from its list. Survey "
                "links not answered yet stop working; answered surveys stay with the "
                "initiative, under the partner's name."
            )
            % {"p": commitment.partner, "initiative": commitment.initiative},
            button=_("Remove the commitment"),
            cancel_url=org_url(
                request.organization,
                "initiatives:commitments",
                initiative_id=commitment.initiative_id,
            ),
            consequences=commitment_removal_consequences(commitment),
        )
    services.commitment_remove(commitment=commitment)
    messages.success(request, _("Removed the commitment of %(p)s.") % {"p": commitment.partner})
    return to_tab(request, "commitments", commitment.initiative_id)
