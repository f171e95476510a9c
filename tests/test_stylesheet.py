"""The stylesheet defines each selector once (per at-rule context: a selector may come back
inside `@media print`), so no later rule silently overrides an earlier one. A selector in a
list (`.a, .b { }`) counts as defined there: add to its rule rather than writing another."""

import re
from collections import Counter
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "backbone.css"


def selector_definitions(css: str) -> list[tuple[str, str]]:
    """(context, selector) for each selector of each rule; the context is "" at top level,
    else the at-rule preludes around the rule ("@media (max-width: 720px)")."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found: list[tuple[str, str]] = []
    contexts: list[str | None] = []  # None: an ordinary rule's block
    prelude = ""
    for char in css:
        if char == "{":
            head = " ".join(prelude.split())
            prelude = ""
            if head.startswith("@"):
                contexts.append(head)
                continue
            context = " ".join(c for c in contexts if c)
            for selector in split_selectors(head):
                found.append((context, selector))
            contexts.append(None)
        elif char == "}":
            contexts.pop()
            prelude = ""
        elif char == ";" and (not contexts or contexts[-1] is not None):
            prelude = ""  # a statement at-rule (@import, @charset) ends here
        else:
            prelude += char
    return found


def split_selectors(head: str) -> list[str]:
    """`a, b:is(c, d)` → ["a", "b:is(c, d)"]: commas inside parentheses don't split."""
    parts, depth, current = [], 0, ""
    for char in head:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [re.sub(r"\s*([>+~])\s*", r" \1 ", " ".join(p.split())) for p in parts if p.strip()]


def duplicates(css: str) -> list[str]:
    counts = Counter(selector_definitions(css))
    return [
        f"{selector} ({context or 'top level'}) × {n}"
        for (context, selector), n in counts.items()
        if n > 1
    ]


def test_no_selector_is_defined_twice_in_the_same_context():
    assert duplicates(STYLESHEET.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_selector_defined_twice():
    css = """
    /* .ignored { } */
    .filters { display: grid; }
    .card, .filters { margin: 0; }
    @media (max-width: 720px) { .filters { display: block; } }
    @media print { .card { box-shadow: none; } }
    """
    assert duplicates(css) == [".filters (top level) × 2"]


def test_the_same_selector_may_return_inside_another_at_rule_context():
    css = ".a { x: 1 } @media print { .a { x: 2 } } @media (max-width: 1px) { .a > b, .a>b {} }"
    assert duplicates(css) == [".a > b (@media (max-width: 1px)) × 2"]
    assert selector_definitions(":is(a, b) c { }") == [("", ":is(a, b) c")]
