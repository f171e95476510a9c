from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("actions-due/", views.actions_due, name="actions_due"),
    path("overview/", views.dashboard, name="overview"),
    path("<int:initiative_id>/", views.detail, name="detail"),
    path("<int:initiative_id>/edit/", views.edit, name="edit"),
    path("<int:initiative_id>/archive/", views.archive, name="archive"),
    path("<int:initiative_id>/phase/", views.phase_change, name="phase_change"),
    path(
        "<int:initiative_id>/reflections/",
        views.reflection_note_add,
        name="reflection_note_add",
    ),
    path(
        "reflections/<int:reflection_note_id>/vote/",
        views.reflection_vote,
        name="reflection_vote",
    ),
    path("<int:initiative_id>/readiness/", views.readiness, name="readiness"),
    path(
        "readiness/<int:readiness_item_id>/tick/",
        views.readiness_item_tick,
        name="readiness_item_tick",
    ),
    path(
        "readiness/<int:readiness_item_id>/edit/",
        views.readiness_item_edit,
        name="readiness_item_edit",
    ),
    path(
        "readiness/<int:readiness_item_id>/move/",
        views.readiness_item_move,
        name="readiness_item_move",
    ),
    path(
        "readiness/<int:readiness_item_id>/remove/",
        views.readiness_item_remove,
        name="readiness_item_remove",
    ),
    path("<int:initiative_id>/deliverables/", views.deliverables, name="deliverables"),
    path(
        "deliverables/<int:deliverable_id>/edit/",
        views.deliverable_edit,
        name="deliverable_edit",
    ),
    path(
        "deliverables/<int:deliverable_id>/remove/",
        views.deliverable_remove,
        name="deliverable_remove",
    ),
    path(
        "deliverables/<int:deliverable_id>/status/",
        views.deliverable_status,
        name="deliverable_status",
    ),
    path("<int:initiative_id>/actions/", views.actions, name="actions"),
    path(
        "actions/<int:action_item_id>/status/",
        views.action_item_status,
        name="action_item_status",
    ),
    path("actions/<int:action_item_id>/edit/", views.action_item_edit, name="action_item_edit"),
    path(
        "actions/<int:action_item_id>/remove/",
        views.action_item_remove,
        name="action_item_remove",
    ),
    path("<int:initiative_id>/governance/", views.governance, name="governance"),
    path("<int:initiative_id>/sponsor/", views.sponsor, name="sponsor"),
    path(
        "<int:initiative_id>/partners/",
        views.initiative_partner_add,
        name="initiative_partner_add",
    ),
    path(
        "initiative-partners/<int:initiative_partner_id>/remove/",
        views.initiative_partner_remove,
        name="initiative_partner_remove",
    ),
    path("teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:team_id>/remove/", views.team_remove, name="team_remove"),
    path("teams/<int:team_id>/members/", views.team_member_add, name="team_member_add"),
    path(
        "team-members/<int:team_member_id>/remove/",
        views.team_member_remove,
        name="team_member_remove",
    ),
    path("<int:initiative_id>/risks/", views.risks, name="risks"),
    path("risks/<int:risk_id>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:risk_id>/remove/", views.risk_remove, name="risk_remove"),
    path("risks/<int:risk_id>/status/", views.risk_status, name="risk_status"),
    path("<int:initiative_id>/funding/", views.funding, name="funding"),
    path(
        "funding/<int:funding_commitment_id>/edit/",
        views.funding_commitment_edit,
        name="funding_commitment_edit",
    ),
    path(
        "funding/<int:funding_commitment_id>/status/",
        views.funding_commitment_status,
        name="funding_commitment_status",
    ),
    path(
        "funding/<int:funding_commitment_id>/remove/",
        views.funding_commitment_remove,
        name="funding_commitment_remove",
    ),
    # Engagement: people, system map, events, commitments and surveys, stories.
    path("<int:initiative_id>/people/", views.people, name="people"),
    path(
        "participations/<int:participation_id>/edit/",
        views.participation_edit,
        name="participation_edit",
    ),
    path(
        "participations/<int:participation_id>/remove/",
        views.participation_remove,
        name="participation_remove",
    ),
    path("<int:initiative_id>/capacity/", views.capacity, name="capacity"),
    path("<int:initiative_id>/system-map/", views.system_map_page, name="system_map"),
    path("<int:initiative_id>/events/", views.events, name="events"),
    path("events/<int:event_id>/", views.event, name="event"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:event_id>/remove/", views.event_remove, name="event_remove"),
    path("events/<int:event_id>/attendees/", views.attendee_add, name="attendee_add"),
    path("events/<int:event_id>/walk-ins/", views.walk_in_add, name="walk_in_add"),
    path(
        "attendances/<int:attendance_id>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path("<int:initiative_id>/commitments/", views.commitments, name="commitments"),
    path(
        "commitments/<int:commitment_id>/remove/",
        views.commitment_remove,
        name="commitment_remove",
    ),
    path("commitments/<int:commitment_id>/survey/", views.survey_send, name="survey_send"),
    path(
        "surveys/<int:feedback_survey_id>/",
        views.feedback_survey,
        name="feedback_survey",
    ),
    path("<int:initiative_id>/stories/", views.stories, name="stories"),
    path("stories/<int:story_id>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:story_id>/photo/", views.story_photo, name="story_photo"),
    path("stories/<int:story_id>/publish/", views.story_publish, name="story_publish"),
    path(
        "story-features/<int:story_feature_id>/consent/",
        views.story_feature_consent,
        name="story_feature_consent",
    ),
]
