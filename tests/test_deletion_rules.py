"""Every `on_delete=CASCADE` of the project, with why it keeps the rule "facts about the
past (deliveries, attendance, answers, approvals, transitions) survive the deletion of who
or what they were about" (issue 11). A new CASCADE fails here until it is given a reason:
if what it points at can be deleted and the row is a fact about the past, use PROTECT, or
SET_NULL with a kept display name, instead (see `backbone/deletion.py`)."""

from django.apps import apps
from django.db import models

from backbone.models import TenantModel

OURS = ("backbone", "stakeholders", "initiatives", "measures", "plans")

# Each tenant row's `organization`: deleting an organization (only in the Django admin,
# by a superuser) is the tenant leaving, which takes all of its data; nothing else
# deletes one. Listed once here rather than per model.
TENANT = "the tenant leaving takes its data"

# Parents the app never deletes (no service, view or admin action does): their children
# can't lose their past through them; CASCADE says the child belongs to the parent.
NEVER_DELETED = "parent is never deleted (archived instead, or no delete path)"

CASCADES = {
    "backbone.Membership.user": "the account is gone: so is its place in the organization",
    "backbone.Notification.user": "a message to one account, about facts kept elsewhere",
    "backbone.NotificationPreference.user": "the account's own mail choice",
    "backbone.Membership.organization": TENANT,
    "backbone.CalendarFeed.membership": "the member's own feed address: goes with their place",
    "backbone.ApiToken.membership": "a member's key to the API: no member, no key",
    "backbone.Invitation.organization": TENANT,
    "backbone.JobRun.organization": TENANT,
    "stakeholders.PartnerMembership.membership": "present link of a member to a partner: "
    "goes when the member is removed",
    "stakeholders.PartnerMembership.partner": NEVER_DELETED + " (partners)",
    "stakeholders.ConsentRecord.contact": "describes only the person; erased with them on "
    "request (the deletion page lists it under what goes)",
    "stakeholders.Interaction.contact": "the person's timeline describes only them; the "
    "facts it mirrors (deliveries, attendance, answers) are rows of their own that stay",
    "initiatives.PhaseTransition.initiative": NEVER_DELETED + " (initiatives are archived)",
    "initiatives.InitiativePartner.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.InitiativePartner.partner": NEVER_DELETED + " (partners); a present link",
    "initiatives.Participation.initiative": NEVER_DELETED + " (initiatives)",
    "plans.Scorecard.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.ParticipationRole.participation": "present roles of a participation; its "
    "level history (LevelChange) is SET_NULL and stays",
    "initiatives.LevelChange.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.Commitment.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.EngagementEvent.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.ReadinessItem.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.Deliverable.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.ActionItem.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.Team.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.TeamMember.team": "present seats of a team: go with the team",
    "initiatives.TeamMember.contact": "a present seat, no history: goes with the person "
    "erased (listed under what goes)",
    "initiatives.Risk.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.FundingCommitment.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.Story.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.StoryFeature.story": "belongs to the story; past newsletters copied its text",
    "initiatives.StoryFeature.contact": "the person's agreement to be featured: goes with "
    "them on erasure; the story stays",
    "initiatives.FeedbackSurvey.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.ReflectionNote.initiative": NEVER_DELETED + " (initiatives)",
    "initiatives.ReflectionVote.note": "a vote belongs to its note; a past board's votes are "
    "copied into its transition",
    "initiatives.ReflectionVote.user": "one account's present vote; past boards keep the count",
    "measures.Indicator.initiative": NEVER_DELETED + " (initiatives)",
    "measures.Target.indicator": NEVER_DELETED + " (indicators)",
    "measures.DataRequest.indicator": NEVER_DELETED + " (indicators)",
    "measures.DataRequest.partner": NEVER_DELETED + " (partners); what is asked now",
    "measures.DataPoint.indicator": NEVER_DELETED + " (indicators)",
    "measures.DataPointChange.data_point": NEVER_DELETED + " (data points)",
    "measures.Resolution.indicator": NEVER_DELETED + " (indicators)",
    "measures.CurveStory.indicator": NEVER_DELETED + " (indicators)",
    "measures.GlossaryTerm.initiative": NEVER_DELETED + " (initiatives)",
    "measures.Agreement.initiative": NEVER_DELETED + " (initiatives)",
    "measures.IndicatorDefinition.indicator": NEVER_DELETED + " (indicators)",
    "measures.IndicatorReview.initiative": NEVER_DELETED + " (initiatives)",
    "measures.IndicatorVerdict.review": "parts of a review, which is never deleted",
    "measures.IndicatorVerdict.indicator": NEVER_DELETED + " (indicators)",
    "measures.ReminderSent.user": "a same-day de-duplication key, not a record anyone reads",
    "measures.ReminderSent.indicator": "a same-day de-duplication key",
    "measures.ReminderSent.partner": "a same-day de-duplication key",
    "plans.NewsletterItem.newsletter": NEVER_DELETED + " (newsletters)",
    "plans.Delivery.newsletter": NEVER_DELETED + " (newsletters)",
    "plans.LinkClick.delivery": NEVER_DELETED + " (deliveries: their contact is SET_NULL)",
    "plans.InitiativeOptOut.contact": "the person's own preference: goes with them",
    "plans.InitiativeOptOut.initiative": NEVER_DELETED + " (initiatives)",
    "plans.Plan.initiative": NEVER_DELETED + " (initiatives)",
    "plans.PlanVersion.plan": NEVER_DELETED + " (plans)",
    "plans.PlanSection.version": "parts of a version: only a draft's can be deleted; an "
    "adopted version refuses deletion (model and admin)",
    "plans.SectionText.section": "history of a section: goes only with a draft",
    "plans.Goal.version": "parts of a draft (adopted versions refuse deletion)",
    "plans.Strategy.goal": "parts of a draft (adopted versions refuse deletion)",
    "plans.StrategyAction.strategy": "parts of a draft (adopted versions refuse deletion)",
    "plans.StrategyTarget.strategy": "parts of a draft (adopted versions refuse deletion)",
    "plans.BudgetLine.version": "parts of a draft (adopted versions refuse deletion)",
    "plans.EngagementActivity.version": "parts of a draft (adopted versions refuse deletion)",
    "plans.Comment.version": "review comments of a draft",
    "plans.PlanPdf.version": "a file made from the version, made again on demand",
    "plans.ReportCard.initiative": NEVER_DELETED + " (initiatives); an issued card refuses "
    "deletion",
    "plans.ReportCardSchedule.initiative": NEVER_DELETED + " (initiatives)",
    "plans.Review.initiative": NEVER_DELETED + " (initiatives)",
    "plans.ReviewRespondent.review": NEVER_DELETED + " (reviews)",
    "plans.ReviewAnswer.review": NEVER_DELETED + " (reviews)",
    "plans.HandoverReport.initiative": NEVER_DELETED + " (initiatives)",
}


def project_cascades() -> set[str]:
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in OURS:
            continue
        for field in model._meta.get_fields():
            if not (
                field.concrete and field.is_relation and (field.many_to_one or field.one_to_one)
            ):
                continue
            if field.remote_field.on_delete is not models.CASCADE:
                continue
            if issubclass(model, TenantModel) and field.name == "organization":
                continue  # a tenant row: see TENANT
            found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_cascade_is_audited_against_the_rule():
    found = project_cascades()
    unexplained = found - set(CASCADES)
    assert not unexplained, (
        f"New on_delete=CASCADE without a reason: {sorted(unexplained)}. If the row is a fact "
        "about the past, use PROTECT or SET_NULL with a kept name; else add why to CASCADES."
    )
    assert not set(CASCADES) - found, "CASCADES lists relations that no longer cascade"


def test_facts_about_the_past_never_cascade_from_what_they_were_about():
    kept = {
        "initiatives.Attendance.contact": models.SET_NULL,
        "initiatives.Attendance.event": models.PROTECT,
        "initiatives.LevelChange.participation": models.SET_NULL,
        "initiatives.LevelChange.contact": models.SET_NULL,
        "initiatives.FeedbackSurvey.commitment": models.SET_NULL,
        "initiatives.FeedbackSurvey.sent_to": models.SET_NULL,
        "initiatives.Commitment.partner": models.PROTECT,
        "initiatives.Participation.contact": models.PROTECT,
        "plans.Delivery.contact": models.SET_NULL,
        "measures.DataPoint.partner": models.PROTECT,
    }
    for name, rule in kept.items():
        app_model, field = name.rsplit(".", 1)
        assert apps.get_model(app_model)._meta.get_field(field).remote_field.on_delete is rule, name
