"""Pages under /o/<org_slug>/: plans and report cards (namespace "plans", /plans/…),
newsletters (namespace "newsletters", /newsletters/…) and backbone effectiveness
reviews (namespace "reviews", /reviews/…). Anonymous links are in
public_urls."""

from django.urls import include, path

from .views import handover as handovers
from .views import newsletter as newsletters
from .views import plan as views
from .views import report_card as cards
from .views import review as reviews
from .views import scorecard as scorecards

plan_patterns = [
    path("", views.index, name="index"),
    path("preview/", views.markdown_preview, name="markdown_preview"),
    path("initiatives/<int:initiative_id>/", views.plan_detail, name="plan_detail"),
    path("initiatives/<int:initiative_id>/start/", views.plan_start, name="plan_start"),
    path("initiatives/<int:initiative_id>/draft/", views.draft_start, name="draft_start"),
    path("initiatives/<int:initiative_id>/compare/", views.version_compare, name="compare"),
    path("initiatives/<int:initiative_id>/handover/", handovers.handover, name="handover"),
    path(
        "handover/<int:report_id>/download/",
        handovers.handover_download,
        name="handover_download",
    ),
    path("versions/<int:version_id>/", views.version_detail, name="version_detail"),
    path("versions/<int:version_id>/adopt/", views.version_adopt, name="version_adopt"),
    path(
        "versions/<int:version_id>/sections/<slug:section_key>/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "versions/<int:version_id>/sections/<slug:section_key>/comments/",
        views.comment_add,
        name="comment_add",
    ),
    path("versions/<int:version_id>/goals/", views.goal_add, name="goal_add"),
    path("versions/<int:version_id>/strategies/", views.strategy_add, name="strategy_add"),
    path("versions/<int:version_id>/budget/", views.budget_line_add, name="budget_line_add"),
    path("versions/<int:version_id>/engagement/", views.engagement_add, name="engagement_add"),
    path("versions/<int:version_id>/pdf/", views.pdf_panel, name="pdf"),
    path("versions/<int:version_id>/pdf/download/", views.pdf_download, name="pdf_download"),
    path("goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path("strategies/<int:strategy_id>/delete/", views.strategy_delete, name="strategy_delete"),
    path(
        "budget-lines/<int:budget_line_id>/delete/",
        views.budget_line_delete,
        name="budget_line_delete",
    ),
    path("engagement/<int:activity_id>/delete/", views.engagement_delete, name="engagement_delete"),
    path("versions/<int:version_id>/targets/", views.strategy_target_add, name="target_add"),
    path("targets/<int:target_id>/delete/", views.strategy_target_delete, name="target_delete"),
    path("versions/<int:version_id>/actions/", views.strategy_action_add, name="action_add"),
    path(
        "actions/<int:strategy_action_id>/delete/",
        views.strategy_action_delete,
        name="action_delete",
    ),
    # Report cards.
    path(
        "initiatives/<int:initiative_id>/report-cards/",
        cards.report_card_list,
        name="report_card_list",
    ),
    path(
        "initiatives/<int:initiative_id>/report-cards/new/",
        cards.report_card_create,
        name="report_card_create",
    ),
    path(
        "initiatives/<int:initiative_id>/report-cards/schedule/",
        cards.report_card_schedule,
        name="report_card_schedule",
    ),
    path("report-cards/<int:report_card_id>/", cards.report_card_detail, name="report_card_detail"),
    path(
        "report-cards/<int:report_card_id>/narrative/",
        cards.report_card_narrative,
        name="report_card_narrative",
    ),
    path(
        "report-cards/<int:report_card_id>/issue/",
        cards.report_card_issue,
        name="report_card_issue",
    ),
    path(
        "report-cards/<int:report_card_id>/delete/",
        cards.report_card_delete,
        name="report_card_delete",
    ),
    path(
        "report-cards/<int:report_card_id>/publish/",
        cards.report_card_publish,
        name="report_card_publish",
    ),
    path(
        "report-cards/<int:report_card_id>/unpublish/",
        cards.report_card_unpublish,
        name="report_card_unpublish",
    ),
    path("report-cards/<int:report_card_id>/pdf/", cards.report_card_pdf, name="report_card_pdf"),
    # The public community scorecard's settings (the public pages are in public_urls).
    path(
        "initiatives/<int:initiative_id>/scorecard/",
        scorecards.scorecard_settings,
        name="scorecard",
    ),
    path(
        "initiatives/<int:initiative_id>/scorecard/publish/",
        scorecards.scorecard_publish,
        name="scorecard_publish",
    ),
    path(
        "initiatives/<int:initiative_id>/scorecard/unpublish/",
        scorecards.scorecard_unpublish,
        name="scorecard_unpublish",
    ),
    path(
        "scorecard/partners/<int:initiative_partner_id>/",
        scorecards.scorecard_partner_listing,
        name="scorecard_partner_listing",
    ),
    path(
        "report-cards/<int:report_card_id>/pdf/download/",
        cards.report_card_pdf_download,
        name="report_card_pdf_download",
    ),
]

newsletter_patterns = [
    path("", newsletters.index, name="index"),
    path("new/", newsletters.create, name="create"),
    path("<int:newsletter_id>/", newsletters.detail, name="detail"),
    path("<int:newsletter_id>/preview/", newsletters.preview, name="preview"),
    path("<int:newsletter_id>/test/", newsletters.send_test, name="send_test"),
    path("<int:newsletter_id>/send/", newsletters.send, name="send"),
    path("<int:newsletter_id>/schedule/", newsletters.schedule, name="schedule"),
    path("<int:newsletter_id>/items/new/", newsletters.item_add, name="item_add"),
    path("<int:newsletter_id>/items/<int:item_id>/", newsletters.item_edit, name="item_edit"),
    path("<int:newsletter_id>/items/<int:item_id>/move/", newsletters.item_move, name="item_move"),
]

review_patterns = [
    path("", reviews.review_list, name="index"),
    path("new/", reviews.review_create, name="create"),
    path("<int:review_id>/", reviews.review_detail, name="detail"),
    path("<int:review_id>/respondents/", reviews.review_respondents, name="respondents"),
    path("<int:review_id>/send/", reviews.review_send, name="send"),
    path("<int:review_id>/self-assessment/", reviews.review_self, name="self"),
    path("<int:review_id>/response/", reviews.review_response, name="response"),
    path("<int:review_id>/close/", reviews.review_close, name="close"),
    path("<int:review_id>/pdf/", reviews.review_pdf, name="pdf"),
]

urlpatterns = [
    path("plans/", include((plan_patterns, "plans"))),
    path("reviews/", include((review_patterns, "reviews"))),
    path("newsletters/", include((newsletter_patterns, "newsletters"))),
]
