"""Stories of change of an initiative, and the consent of the people featured in them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from backbone.access import org_view
from backbone.files import file_response
from backbone.forms import form_status, form_write
from backbone.markdown import render_markdown
from backbone.permissions import can
from backbone.stale import fingerprint

from .. import services
from ..form_cache import kept_fields
from ..forms import StoryForm
from ..models import STORY_EDITED, Story, StoryFeature
from ..selectors import people_view_for, stories_of, stories_visible_to
from .pages import access_initiative, access_row, page_with_form, posted_add_form, to_tab


@org_view("initiatives.view")
def stories(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id)
    form = posted_add_form(request, StoryForm, initiative=initiative)
    story = form_write(form, services.story_create, initiative=initiative)
    if story:
        messages.success(request, _("Saved “%(title)s”.") % {"title": story.title})
        return to_tab(request, "stories", initiative.pk)
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
            # A posted form shows what was typed; the empty one is kept written (form_cache).
            "add_form": form
            or (kept_fields(StoryForm, initiative, auto_id="add_%s") if can_edit else None),
        },
        status=form_status(form),
    )


@org_view("initiatives.view")
@require_safe
def story_photo(request, story_id: int):
    """The story's photo, for those who may see the story (partners: published ones)."""
    story = access_row(request, stories_visible_to(request.membership), story_id, write=False)
    if not story.photo:
        raise Http404
    return file_response(story.photo)


@org_view("initiatives.edit")
def story_edit(request, story_id: int):
    story = access_row(request, Story, story_id)
    initial = {
        "title": story.title,
        "text": story.text,
        "featured": [f.contact_id for f in story.features.all()],
        "seen": fingerprint(story, STORY_EDITED),
    }
    form = StoryForm(
        request.POST or None, request.FILES or None, initial=initial, initiative=story.initiative
    )
    if form_write(form, services.story_update, story=story, by=request.user):
        messages.success(request, _("Saved “%(title)s”.") % {"title": story.title})
        return to_tab(request, "stories", story.initiative_id)
    return page_with_form(
        request, "initiatives/story_form.html", form, story=story, initiative=story.initiative
    )


@org_view("initiatives.edit")
@require_POST
def story_publish(request, story_id: int):
    story = access_row(request, Story, story_id, write=True)
    try:
        if request.POST.get("published") == "0":
            services.story_unpublish(story=story)
            messages.success(request, _("“%(title)s” is no longer published.") % {"title": story})
        else:
            services.story_publish(story=story, by=request.user)
            messages.success(request, _("Published “%(title)s”.") % {"title": story})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return to_tab(request, "stories", story.initiative_id, f"#story-{story.pk}")


@org_view("initiatives.edit")
@require_POST
def story_feature_consent(request, story_feature_id: int):
    feature = access_row(
        request,
        StoryFeature.objects.select_related("contact"),
        story_feature_id,
        write=True,
        through="story__initiative",
    )
    given = request.POST.get("consent_given") == "1"
    services.story_consent_set(feature=feature, given=given)
    messages.success(
        request,
        (_("%(name)s agreed to be featured.") if given else _("%(name)s did not agree."))
        % {"name": feature.contact},
    )
    return to_tab(request, "stories", feature.story.initiative_id, f"#story-{feature.story_id}")
