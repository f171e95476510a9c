"""The plan's sections and the registry of renderers that assemble them from data.

A section is the coordinator's Markdown text followed by whatever the renderers
registered for its key make from data (goals, strategies, budget lines…). Other
parts of the app add renderers for their sections later ("what is happening now"
from indicator values, "governance model" from the initiative's teams) with
`@section_renderer(SectionKey.NOW)`. A renderer returns trusted HTML and may
return inline SVG: the same markup goes to the page and into the PDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from backbone.markdown import render_document_markdown as render_markdown

from .models import SECTION_ORDER, SectionKey

if TYPE_CHECKING:
    from .selectors import VersionContent


@dataclass(frozen=True)
class SectionContext:
    content: VersionContent
    key: str
    for_pdf: bool = False


Renderer = Callable[[SectionContext], str]

RENDERERS: dict[str, list[Renderer]] = defaultdict(list)


def section_renderer(key: str) -> Callable[[Renderer], Renderer]:
    """Register a function that assembles part of section `key` from data."""

    def decorator(function: Renderer) -> Renderer:
        RENDERERS[key].append(function)
        return function

    return decorator


@dataclass(frozen=True)
class RenderedSection:
    key: str
    number: int
    title: str
    text_html: SafeString
    data_html: SafeString

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"

    @property
    def is_empty(self) -> bool:
        return not self.text_html.strip() and not self.data_html.strip()


def data_sections(content: VersionContent) -> dict[str, str]:
    """{section key: HTML assembled from data}. An adopted version shows what was stored
    on adoption day (live tables change, it does not); a draft is assembled live, once
    per content."""
    snapshot = content.version.data_snapshot
    if snapshot is not None:
        return {key: snapshot.get(key, "") for key in SECTION_ORDER}
    if content.data_html is None:
        content.data_html = {
            key: "".join(
                renderer(SectionContext(content=content, key=key))
                for renderer in RENDERERS.get(key, [])
            )
            for key in SECTION_ORDER
        }
    return content.data_html


def render_sections(content: VersionContent, *, for_pdf: bool = False) -> list[RenderedSection]:
    labels = dict(SectionKey.choices)
    rendered = []
    assembled = data_sections(content)
    for number, key in enumerate(SECTION_ORDER, start=1):
        section = content.sections.get(key)
        data = assembled.get(key, "")
        rendered.append(
            RenderedSection(
                key=key,
                number=number,
                title=str(labels[key]),
                text_html=render_markdown(section.body if section else ""),
                data_html=mark_safe(data),  # noqa: S308 - renderers return trusted templates
            )
        )
    return rendered


# The renderers of data this app owns.


@section_renderer(SectionKey.VISION_GOALS)
def goals_list(context: SectionContext) -> str:
    if not context.content.goals:
        return ""
    return render_to_string("plans/sections/goals.html", {"content": context.content})


@section_renderer(SectionKey.STRATEGY_TARGETS)
def strategies_by_goal(context: SectionContext) -> str:
    content = context.content
    if not any(goal.strategies.all() for goal in content.goals):
        return ""
    return render_to_string("plans/sections/strategies.html", {"content": content})


@section_renderer(SectionKey.STRATEGY_TARGETS)
def engagement_strategy(context: SectionContext) -> str:
    if not context.content.engagement_activities:
        return ""
    return render_to_string("plans/sections/engagement.html", {"content": context.content})


@section_renderer(SectionKey.BUDGET)
def budget_table(context: SectionContext) -> str:
    if not context.content.budget_lines:
        return ""
    return render_to_string("plans/sections/budget.html", {"content": context.content})


# The renderers of data that lives in the apps below (indicators, governance, funding).
from . import data_sections as _data_sections  # noqa: E402, F401
