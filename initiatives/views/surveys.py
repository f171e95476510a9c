"""The yearly partner feedback survey: sending it, reading the answers, and answering it
through a link without an account (outside /o/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.forms import form_status
from backbone.tasks import enqueue

from .. import services
from ..forms import SurveyForm
from ..models import Commitment
from ..selectors import feedback_surveys_visible_to
from ..tasks import send_feedback_survey
from .pages import access_row, to_tab


@org_view("initiatives.edit")
@require_POST
def survey_send(request, commitment_id: int):
    commitment = access_row(
        request, Commitment.objects.select_related("signed_by"), commitment_id, write=True
    )
    try:
        survey = services.survey_send(commitment=commitment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        enqueue(
            send_feedback_survey, organization_id=commitment.organization_id, survey_id=survey.pk
        )
        messages.success(
            request,
            _("The feedback survey is on its way to %(email)s.")
            % {"email": commitment.signed_by.email},
        )
    return to_tab(request, "commitments", commitment.initiative_id)


@org_view("initiatives.view")
def feedback_survey(request, feedback_survey_id: int):
    visible = feedback_surveys_visible_to(request.membership)
    survey = access(request, visible, pk=feedback_survey_id, write=request.method == "POST")
    return render(
        request,
        "initiatives/feedback_survey.html",
        {"survey": survey, "initiative": survey.initiative, "tab": "commitments"},
    )


@never_cache
def survey_answer(request, token: str):
    try:
        survey = services.survey_for_token(token)
    except services.SurveyLinkInvalid as exc:
        return render(request, "initiatives/survey_public.html", {"problem": str(exc)}, status=410)
    organization = survey.organization
    with timezone.override(organization.tzinfo), translation.override(organization.language):
        form = SurveyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer(survey=survey, answers=form.cleaned_data)
            except services.SurveyLinkInvalid as exc:
                return render(
                    request, "initiatives/survey_public.html", {"problem": str(exc)}, status=410
                )
            return render(
                request, "initiatives/survey_public.html", {"survey": survey, "thanks": True}
            )
        return render(
            request,
            "initiatives/survey_public.html",
            {"survey": survey, "form": form},
            status=form_status(form),
        )
