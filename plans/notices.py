"""What the plans app tells people (through `backbone.notifications.notify`)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.links import org_url
from backbone.models import Role
from backbone.notifications import Kind, members_with_roles, notify, staff_of
from initiatives.selectors import initiative_audience

from .models import Comment, PlanVersion, ReportCard, Review


def tell_commented(comment: Comment) -> None:
    """A comment on a draft, to the staff (the author is not told of their own)."""
    version = comment.version
    staff = [user_id for user_id in staff_of(version.organization) if user_id != comment.author_id]
    notify(
        organization=version.organization,
        recipients=staff,
        kind=Kind.DRAFT_COMMENT,
        key=f"draft_comment:{comment.pk}",
        title=lambda: (
            _("%(person)s commented on %(plan)s, draft %(number)s")
            % {
                "person": comment.author.display_name,
                "plan": version.plan.initiative.name,
                "number": version.number,
            }
        ),
        url=org_url(version.organization, "plans:version_detail", version_id=version.pk)
        + f"#comment-{comment.section_key}",
    )


def tell_adopted(version: PlanVersion) -> None:
    initiative = version.plan.initiative
    notify(
        organization=version.organization,
        recipients=initiative_audience(initiative),
        kind=Kind.PLAN_ADOPTED,
        key=f"plan_adopted:{version.pk}",
        title=lambda: (
            _("The plan of %(initiative)s was adopted (version %(number)s)")
            % {"initiative": initiative.name, "number": version.number}
        ),
        url=org_url(version.organization, "plans:version_detail", version_id=version.pk),
    )


def tell_issued(card: ReportCard) -> None:
    notify(
        organization=card.organization,
        recipients=initiative_audience(card.initiative),
        kind=Kind.REPORT_CARD_ISSUED,
        key=f"report_card_issued:{card.pk}",
        title=lambda: (
            _("Report card issued: %(initiative)s, %(period)s")
            % {"initiative": card.initiative.name, "period": card.period}
        ),
        url=org_url(card.organization, "plans:report_card_detail", report_card_id=card.pk),
    )


def tell_review_answered(review: Review) -> None:
    """A new answer, to whoever opened the review: one notice per review and day, so a busy
    week reads as a few lines in the digest rather than one per answer."""
    if review.opened_by_id is None:
        return
    day = timezone.localdate().isoformat()
    notify(
        organization=review.organization,
        recipients=[review.opened_by_id],
        kind=Kind.REVIEW_ANSWERED,
        key=f"review_answered:{review.pk}:{day}",
        title=_("New answers to the backbone review %(year)s (%(scope)s)")
        % {"year": review.year, "scope": review.scope_name},
        url=org_url(review.organization, "reviews:detail", review_id=review.pk),
    )


def tell_review_published(review: Review) -> None:
    notify(
        organization=review.organization,
        recipients=members_with_roles(review.organization, Role.ROUNDTABLE),
        kind=Kind.REVIEW_PUBLISHED,
        key=f"review_published:{review.pk}",
        title=_("The results of the backbone review %(year)s (%(scope)s) are published")
        % {"year": review.year, "scope": review.scope_name},
        url=org_url(review.organization, "reviews:detail", review_id=review.pk),
    )
