"""Two versions compared section by section, as a readable, HTML-escaped diff."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import SECTION_ORDER, SectionKey
from .selectors.plan import VersionContent


def section_lines(content: VersionContent, key: str) -> list[str]:
    """A section as lines of text: its Markdown, then the data assembled into it."""
    section = content.sections.get(key)
    lines = [line.rstrip() for line in (section.body if section else "").splitlines()]
    lines = [line for line in lines if line]
    target, lead = _("target"), _("lead")
    if key == SectionKey.VISION_GOALS:
        for g in content.goals:
            line = _("Goal: %(title)s") % {"title": g.title}
            lines.append(line + (f" — {g.description}" if g.description else ""))
    elif key == SectionKey.STRATEGY_TARGETS:
        for goal in content.goals:
            for s in goal.strategies.all():
                line = _("Strategy (%(goal)s): %(title)s") % {"goal": goal.title, "title": s.title}
                if s.target:
                    line += f" · {target}: {s.target}"
                if s.lead_name:
                    line += f" · {lead}: {s.lead_name}"
                lines.append(line)
                for t in s.targets.all():
                    lines.append(
                        _("Target (%(strategy)s): %(indicator)s %(value)s by %(date)s")
                        % {
                            "strategy": s.title,
                            "indicator": t.indicator.name,
                            "value": t.formatted_value,
                            "date": t.date.isoformat(),
                        }
                    )
        for a in content.engagement_activities:
            line = _("Engagement (%(level)s): %(title)s") % {
                "level": a.get_level_display(),
                "title": a.title,
            }
            if a.target_number is not None or a.target:
                line += f" · {target}: {a.target_number or ''} {a.target}".rstrip()
            if a.budget is not None:
                line += f" · {_('budget')}: {a.budget}"
            if a.lead_name:
                line += f" · {lead}: {a.lead_name}"
            lines.append(line)
    elif key == SectionKey.BUDGET:
        for b in content.budget_lines:
            line = _("Budget %(year)s: %(item)s · %(amount)s") % {
                "year": b.year,
                "item": b.item,
                "amount": b.amount,
            }
            lines.append(line + (f" · {b.source}" if b.source else ""))
    return lines


@dataclass(frozen=True)
class SectionDiff:
    key: str
    title: str
    changed: bool
    html: SafeString


def _words(old: str, new: str) -> tuple[str, str]:
    """Mark the changed words inside a changed line."""
    a, b = old.split(" "), new.split(" ")
    old_out, new_out = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        left, right = escape(" ".join(a[i1:i2])), escape(" ".join(b[j1:j2]))
        if tag == "equal":
            old_out.append(left)
            new_out.append(right)
        else:
            if left:
                old_out.append(f"<del>{left}</del>")
            if right:
                new_out.append(f"<ins>{right}</ins>")
    return " ".join(old_out), " ".join(new_out)


def diff_lines(old: list[str], new: list[str]) -> tuple[bool, SafeString]:
    rows = []
    changed = False
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag == "equal":
            rows += [f'<li class="diff-same">{escape(line)}</li>' for line in old[i1:i2]]
            continue
        changed = True
        removed, added = old[i1:i2], new[j1:j2]
        if tag == "replace":
            # Lines edited in place show which words changed; the rest are whole lines.
            paired = min(len(removed), len(added))
            for left, right in zip(removed[:paired], added[:paired], strict=True):
                marked_old, marked_new = _words(left, right)
                rows.append(f'<li class="diff-removed">{marked_old}</li>')
                rows.append(f'<li class="diff-added">{marked_new}</li>')
            removed, added = removed[paired:], added[paired:]
        rows += [f'<li class="diff-removed"><del>{escape(line)}</del></li>' for line in removed]
        rows += [f'<li class="diff-added"><ins>{escape(line)}</ins></li>' for line in added]
    return changed, mark_safe(f'<ul class="plan-diff" role="list">{"".join(rows)}</ul>')  # noqa: S308


def compare_versions(old: VersionContent, new: VersionContent) -> list[SectionDiff]:
    labels = dict(SectionKey.choices)
    result = []
    for key in SECTION_ORDER:
        changed, html = diff_lines(section_lines(old, key), section_lines(new, key))
        result.append(SectionDiff(key=key, title=str(labels[key]), changed=changed, html=html))
    return result
