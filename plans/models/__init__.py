"""What the backbone publishes: plans (with their versions), report cards and newsletters."""

from .handover import HandoverReport
from .newsletter import Delivery, InitiativeOptOut, LinkClick, Newsletter, NewsletterItem
from .plan import (
    PLANNED_ENGAGEMENT_LEVELS,
    SECTION_ORDER,
    BudgetLine,
    Comment,
    EngagementActivity,
    Goal,
    Plan,
    PlanPdf,
    PlanSection,
    PlanVersion,
    SectionKey,
    SectionText,
    Strategy,
    StrategyAction,
    StrategyTarget,
    VersionFrozenError,
)
from .report_card import (
    AFTER_ISSUE_FIELDS,
    Cadence,
    ReportCard,
    ReportCardFrozenError,
    ReportCardSchedule,
)

__all__ = [
    "HandoverReport",
    "AFTER_ISSUE_FIELDS",
    "PLANNED_ENGAGEMENT_LEVELS",
    "SECTION_ORDER",
    "BudgetLine",
    "Cadence",
    "Comment",
    "Delivery",
    "EngagementActivity",
    "Goal",
    "InitiativeOptOut",
    "LinkClick",
    "Newsletter",
    "NewsletterItem",
    "Plan",
    "PlanPdf",
    "PlanSection",
    "PlanVersion",
    "ReportCard",
    "ReportCardFrozenError",
    "ReportCardSchedule",
    "SectionKey",
    "SectionText",
    "Strategy",
    "StrategyAction",
    "StrategyTarget",
    "VersionFrozenError",
]
