"""Reads: which initiatives a member sees, and what the pages show about them,
one module per noun."""

from .commitments import commitment_removal_consequences, commitments_of
from .events import (
    CommunityWill,
    attendances_of,
    community_will,
    events_of,
    is_community_will,
    people_who_came,
)
from .initiative import (
    action_items_due_counts,
    action_items_due_queryset,
    initiative_progress,
    initiatives_readable_by,
    initiatives_visible_to,
    rows_visible_to,
    with_progress,
)
from .people import (
    PeopleFilters,
    PeopleView,
    SystemMap,
    initiative_audience,
    level_counts,
    participants,
    people_view_for,
    system_map,
)
from .readiness import ReadinessGrid, readiness_grid, readiness_percent
from .reflections import (
    BoardColumn,
    past_board,
    reflection_board,
    reflection_notes_visible_to,
)
from .rows import (
    FundingSummary,
    action_items_of,
    funding_summary,
    risks_by_severity,
    severity_expression,
    teams_of,
)
from .stories import stories_of, stories_visible_to
from .surveys import feedback_surveys_visible_to, surveys_of_removed_commitments

__all__ = [
    "BoardColumn",
    "past_board",
    "reflection_board",
    "reflection_notes_visible_to",
    "initiative_audience",
    "CommunityWill",
    "FundingSummary",
    "PeopleFilters",
    "PeopleView",
    "ReadinessGrid",
    "SystemMap",
    "action_items_due_queryset",
    "action_items_due_counts",
    "action_items_of",
    "attendances_of",
    "commitment_removal_consequences",
    "commitments_of",
    "community_will",
    "events_of",
    "people_who_came",
    "feedback_surveys_visible_to",
    "surveys_of_removed_commitments",
    "funding_summary",
    "initiative_progress",
    "initiatives_readable_by",
    "initiatives_visible_to",
    "is_community_will",
    "level_counts",
    "participants",
    "people_view_for",
    "readiness_grid",
    "readiness_percent",
    "risks_by_severity",
    "rows_visible_to",
    "severity_expression",
    "stories_of",
    "stories_visible_to",
    "system_map",
    "teams_of",
    "with_progress",
]
