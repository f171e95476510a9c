"""The design system's colours meet WCAG 2.2 AA, computed from the stylesheet itself:
4.5:1 for text (1.4.3) and 3:1 for the parts of controls and the focus ring (1.4.11).

Checked: the named pairs below (each text colour token on the two page backgrounds, the
focus ring on every background it is drawn on, the borders of form controls and
buttons), and every rule of the stylesheet that sets both a solid text colour and a solid
background (badges, alerts, buttons, the header's links)."""

import re
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "backbone.css"
CSS = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)

TEXT = 4.5
UI = 3.0
PAGES = ("paper", "surface")
TEXT_PAIRS = [
    (text, page)
    for text in ("ink", "ink-soft", "muted", "brand", "brand-dark", "danger", "warning", "success")
    for page in PAGES
] + [
    ("ink", "brand-soft"),
    ("ink", "info-soft"),
    ("ink", "neutral-soft"),
    ("muted", "neutral-soft"),
    ("danger", "danger-soft"),
    ("warning", "warning-soft"),
    ("success", "success-soft"),
    ("surface", "brand"),  # button and header text
    ("surface", "brand-dark"),  # button hovered
    ("ink", "accent"),  # the header's call to action
]
UI_PAIRS = [
    ("focus", "paper"),
    ("focus", "surface"),
    ("focus", "brand-soft"),
    ("focus-on-dark", "brand"),  # the focus ring in the header and the landing's hero
    ("focus-on-dark", "brand-dark"),
    ("control", "surface"),  # the border of inputs, selects and text areas
    ("control", "paper"),
    ("brand", "paper"),  # a button's edge
    ("brand", "surface"),
    ("danger", "surface"),  # a field in error
]
# Rules whose text colour is meant not to show, each with its reason.
EXCEPTIONS = {
    "button.tick": "an unticked box is empty; its ✓ shows white on the brand colour (.tick--done)",
}


def tokens() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS, flags=re.S).group(1)
    return dict(re.findall(r"--([\w-]+)\s*:\s*([^;]+);", root))


def solid(value: str, named: dict[str, str]) -> str | None:
    """The value as #rrggbb when it is one opaque colour, else None."""
    value = value.strip().removesuffix("!important").strip()
    if match := re.fullmatch(r"var\(--([\w-]+)\)", value):
        return solid(named[match.group(1)], named)
    if re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value):
        digits = value[1:]
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).lower()
    return None


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules_with_text_on_background() -> list[tuple[str, str, str]]:
    named = tokens()
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        declarations = {
            name.strip(): value.strip()
            for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)
        }
        text = solid(declarations.get("color", ""), named)
        background = solid(
            declarations.get("background-color", declarations.get("background", "")), named
        )
        if text and background:
            found.append((" ".join(selector.split()), text, background))
    return found


def test_the_ratio_is_wcags():
    assert ratio("#000000", "#ffffff") == pytest.approx(21)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert solid("var(--surface)", tokens()) == "#ffffff"
    assert solid("rgb(255 255 255 / 6%)", tokens()) is None


@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_text_tokens_read_at_4_5_to_1(text, background):
    named = tokens()
    measured = ratio(solid(named[text], named), solid(named[background], named))
    assert measured >= TEXT, f"--{text} on --{background}: {measured:.2f}:1"


@pytest.mark.parametrize(("part", "background"), UI_PAIRS)
def test_controls_and_the_focus_ring_stand_out_at_3_to_1(part, background):
    named = tokens()
    measured = ratio(solid(named[part], named), solid(named[background], named))
    assert measured >= UI, f"--{part} on --{background}: {measured:.2f}:1"


def test_every_rule_with_text_on_a_background_reads_at_4_5_to_1():
    rules = rules_with_text_on_background()
    assert len(rules) >= 10, rules  # the parser finds the stylesheet's badges and buttons
    weak = [
        f"{selector}: {text} on {background} is {ratio(text, background):.2f}:1"
        for selector, text, background in rules
        if ratio(text, background) < TEXT and selector not in EXCEPTIONS
    ]
    assert not weak, weak


def test_form_controls_and_the_header_use_the_checked_tokens():
    assert "#9aa3a5" not in CSS
    assert re.search(r"border: 1px solid var\(--control\)", CSS)
    assert re.search(r":focus-visible[^{]*\{[^}]*outline: 3px solid var\(--focus\)", CSS)
    assert re.search(r"\.site-header :focus-visible[^{]*\{[^}]*var\(--focus-on-dark\)", CSS)
