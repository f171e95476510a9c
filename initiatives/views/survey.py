"""The partner feedback survey, answered through a link without an account (outside /o/)."""

from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from backbone.forms import form_status

from .. import engagement_services as services
from ..engagement_forms import SurveyForm


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
