"""Partners' commitments to an initiative, the yearly feedback survey, and stories."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import org_view
from backbone.forms import form_status
from backbone.markdown import render_markdown
from backbone.permissions import can

from .. import engagement_services as services
from ..engagement_forms import CommitmentForm, StoryForm
from ..engagement_selectors import commitments_of as commitments_query
from ..engagement_selectors import people_view_for, stories_of
from ..models import Commitment, FeedbackSurvey, Story, StoryFeature
from ..selectors import initiative_for, initiatives_visible_to, row_for
from .common import apply_errors, initiative_url, require_edit


@org_view("initiatives.view")
def commitments(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    form = None
    if request.method == "POST":
        require_edit(request)
        form = CommitmentForm(request.POST, initiative=initiative, auto_id="add_%s")
        if form.is_valid():
            try:
                commitment = services.commitment_create(
                    initiative=initiative, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("%(partner)s signed on.") % {"partner": commitment.partner}
                )
                return redirect(initiative_url(initiative, "commitments"))
    can_edit = can(request.membership, "initiatives.edit")
    return render(
        request,
        "initiatives/commitments.html",
        {
            "initiative": initiative,
            "tab": "commitments",
            "rows": commitments_query(initiative),
            # Renewals in the coming month are flagged: time to send the feedback survey.
            "renewal_horizon": timezone.localdate() + datetime.timedelta(days=31),
            "people_view": people_view_for(request.membership),
            "add_form": form
            or (CommitmentForm(initiative=initiative, auto_id="add_%s") if can_edit else None),
        },
        status=form_status(form),
    )


@org_view("initiatives.edit")
@require_POST
def commitment_remove(request, commitment_id: int):
    commitment = row_for(request.membership, Commitment.objects, commitment_id)
    services.commitment_remove(commitment=commitment)
    messages.success(request, _("Removed the commitment of %(p)s.") % {"p": commitment.partner})
    return redirect(initiative_url(commitment.initiative, "commitments"))


@org_view("initiatives.edit")
@require_POST
def survey_send(request, commitment_id: int):
    commitment = row_for(
        request.membership, Commitment.objects.select_related("signed_by"), commitment_id
    )
    try:
        services.survey_send(commitment=commitment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The feedback survey is on its way to %(email)s.")
            % {"email": commitment.signed_by.email},
        )
    return redirect(initiative_url(commitment.initiative, "commitments"))


@org_view("initiatives.view")
def feedback_survey(request, feedback_survey_id: int):
    visible = initiatives_visible_to(request.membership, include_archived=True)
    surveys = FeedbackSurvey.objects.filter(
        organization_id=request.organization.pk, commitment__initiative__in=visible
    )
    view = people_view_for(request.membership)
    if not view.details:
        # A partner reads its own feedback, not what other partners told the backbone.
        surveys = surveys.filter(commitment__partner_id=view.own_partner_id)
    survey = get_object_or_404(
        surveys.select_related("commitment__partner", "commitment__initiative", "sent_to"),
        pk=feedback_survey_id,
    )
    return render(
        request,
        "initiatives/feedback_survey.html",
        {"survey": survey, "initiative": survey.commitment.initiative, "tab": "commitments"},
    )


# Stories ---------------------------------------------------------------------


@org_view("initiatives.view")
def stories(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    form = None
    if request.method == "POST":
        require_edit(request)
        form = StoryForm(request.POST, request.FILES, initiative=initiative, auto_id="add_%s")
        if form.is_valid():
            try:
                story = services.story_create(initiative=initiative, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved “%(title)s”.") % {"title": story.title})
                return redirect(initiative_url(initiative, "stories"))
    can_edit = can(request.membership, "initiatives.edit")
    rows = list(stories_of(initiative, request.membership))
    for story in rows:
        story.html = render_markdown(story.text)
    return render(
        request,
        "initiatives/stories.html",
        {
            "initiative": initiative,
            "tab": "stories",
            "rows": rows,
            "people_view": people_view_for(request.membership),
            "add_form": form
            or (StoryForm(initiative=initiative, auto_id="add_%s") if can_edit else None),
        },
        status=form_status(form),
    )


@org_view("initiatives.edit")
def story_edit(request, story_id: int):
    story = row_for(request.membership, Story.objects, story_id)
    initial = {
        "title": story.title,
        "text": story.text,
        "featured": [f.contact_id for f in story.features.all()],
    }
    form = StoryForm(
        request.POST or None, request.FILES or None, initial=initial, initiative=story.initiative
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(story=story, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": story.title})
            return redirect(initiative_url(story.initiative, "stories"))
    return render(
        request,
        "initiatives/story_form.html",
        {"story": story, "initiative": story.initiative, "form": form},
        status=form_status(form),
    )


@org_view("initiatives.edit")
@require_POST
def story_publish(request, story_id: int):
    story = row_for(request.membership, Story.objects, story_id)
    try:
        if request.POST.get("published") == "0":
            services.story_unpublish(story=story)
            messages.success(request, _("“%(title)s” is no longer published.") % {"title": story})
        else:
            services.story_publish(story=story, by=request.user)
            messages.success(request, _("Published “%(title)s”.") % {"title": story})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(initiative_url(story.initiative, "stories") + f"#story-{story.pk}")


@org_view("initiatives.edit")
@require_POST
def story_feature_consent(request, story_feature_id: int):
    feature = _feature(request, story_feature_id)
    given = request.POST.get("consent_given") == "1"
    services.story_consent_set(feature=feature, given=given)
    messages.success(
        request,
        (_("%(name)s agreed to be featured.") if given else _("%(name)s did not agree."))
        % {"name": feature.contact},
    )
    return redirect(
        initiative_url(feature.story.initiative, "stories") + f"#story-{feature.story_id}"
    )


def _feature(request, story_feature_id: int) -> StoryFeature:
    visible = initiatives_visible_to(request.membership, include_archived=True)
    return get_object_or_404(
        StoryFeature.objects.filter(
            organization_id=request.organization.pk, story__initiative__in=visible
        ).select_related("story__initiative", "contact"),
        pk=story_feature_id,
    )
