"""Trend charts as SVG made on the server: no JavaScript, self-contained (inline styles,
generic font families) so the same markup renders in browsers and in WeasyPrint PDFs."""

from decimal import Decimal
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

import cairosvg
from django.utils.translation import gettext as _

from .models import Direction, Indicator
from .periods import Period

FONT = "sans-serif"
INK = "#1f2a2c"
MUTED = "#5d6b6e"
LINE = "#2f6f6a"
TARGET = "#b54708"
BASELINE = "#5d6b6e"


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def chart_words(indicator: Indicator, series: list[tuple[Period, Decimal]], targets=()) -> str:
    """The chart said in words (its alt text in pages, mails and tagged PDFs): what is
    measured, which way is better, the baseline, every value and the targets."""
    fmt = indicator.format_value
    said = [
        f"{indicator.name}: "
        + (_("higher is better") if indicator.direction == Direction.UP else _("lower is better"))
    ]
    if indicator.baseline_value is not None:
        said.append(_("baseline %(value)s") % {"value": fmt(indicator.baseline_value)})
    if series:
        values = ", ".join(f"{period.key} {fmt(value)}" for period, value in series)
        said.append(_("approved values %(values)s") % {"values": values})
    else:
        said.append(_("no approved data yet"))
    said += [
        _("target %(value)s by %(year)s") % {"value": fmt(t.value), "year": t.date.year}
        for t in targets
    ]
    return "; ".join(said) + "."


def trend_svg(
    indicator: Indicator,
    series: list[tuple[Period, Decimal]],
    *,
    targets=(),
    width: int = 480,
    height: int = 220,
) -> str:
    """The indicator's approved values over periods, its baseline, target(s) and desired
    direction. Values go in as Decimal and are placed by proportion (floats only for
    drawing coordinates)."""
    title = f"{indicator.name}: " + (
        _("higher is better") if indicator.direction == Direction.UP else _("lower is better")
    )
    words = chart_words(indicator, series, targets)
    values = [v for _p, v in series]
    refs = [t.value for t in targets]
    if indicator.baseline_value is not None:
        refs.append(indicator.baseline_value)
    scale = values + refs or [Decimal(0), Decimal(1)]
    low, high = min(scale), max(scale)
    if low > 0 and low < high / 2:
        low = Decimal(0)
    if high == low:
        high, low = high + 1, low - 1 if low >= 1 else Decimal(0)
    span = high - low
    # Room on the left for the longest axis label (about 6.5 px per character at 11 px).
    longest = max(len(indicator.format_value(high)), len(indicator.format_value(low)))
    left, right, top, bottom = max(36, int(longest * 6.5) + 10), 16, 28, 34
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(value: Decimal) -> float:
        return top + plot_h - float((value - low) / span) * plot_h

    n = len(series)

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(words)} '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{escape(words)}</title>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" '
        f'stroke="#d9dedc"/>',
    ]
    for value, anchor in ((high, top), (low, top + plot_h)):
        parts.append(
            f'<text x="{left - 6}" y="{_fmt(anchor + 4)}" text-anchor="end" fill="{MUTED}">'
            f"{escape(indicator.format_value(value))}</text>"
        )
    arrow = "▲" if indicator.direction == Direction.UP else "▼"
    parts.append(
        f'<text x="{left}" y="16" fill="{INK}" class="direction">{arrow} '
        f"{escape(title.split(': ', 1)[1])}</text>"
    )
    if indicator.baseline_value is not None:
        by = _fmt(y(indicator.baseline_value))
        parts.append(
            f'<line class="baseline" x1="{left}" x2="{left + plot_w}" y1="{by}" y2="{by}" '
            f'stroke="{BASELINE}" stroke-dasharray="2 3"/>'
            f'<text x="{left + 4}" y="{_fmt(float(by) - 3)}" fill="{BASELINE}">'
            f"{escape(_('Baseline'))} {escape(indicator.format_value(indicator.baseline_value))}"
            "</text>"
        )
    for target in targets:
        ty = _fmt(y(target.value))
        parts.append(
            f'<line class="target" x1="{left}" x2="{left + plot_w}" y1="{ty}" y2="{ty}" '
            f'stroke="{TARGET}" stroke-dasharray="6 3"/>'
            f'<text x="{left + plot_w - 4}" y="{_fmt(float(ty) - 3)}" text-anchor="end" '
            f'fill="{TARGET}">{escape(_("Target"))} {escape(indicator.format_value(target.value))}'
            f" ({target.date.year})</text>"
        )
    if series:
        coords = [(x(i), y(v)) for i, (_p, v) in enumerate(series)]
        if n > 1:
            path = " ".join(f"{_fmt(cx)},{_fmt(cy)}" for cx, cy in coords)
            parts.append(
                f'<polyline class="trend" points="{path}" fill="none" stroke="{LINE}" '
                f'stroke-width="2"/>'
            )
        for (period, value), (cx, cy) in zip(series, coords, strict=True):
            parts.append(
                f'<circle class="point" cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="3" fill="{LINE}" '
                f'data-period="{period.key}" data-value="{value}">'
                f"<title>{period.key}: {escape(indicator.format_value(value))}</title></circle>"
            )
        # As many period labels as fit (about 60 px each), always the first and the last.
        fits = max(2, plot_w // 60)
        step = max(1, -(-(n - 1) // (fits - 1))) if n > 1 else 1
        shown = [i for i in range(n) if i % step == 0 and n - 1 - i >= step] + [n - 1]
        for i in sorted(set(shown)):
            anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
            parts.append(
                f'<text x="{_fmt(coords[i][0])}" y="{height - 12}" text-anchor="{anchor}" '
                f'fill="{MUTED}">{series[i][0].key}</text>'
            )
    else:
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(_("No approved data yet"))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_png(svg: str, *, scale: float = 2) -> bytes:
    """The chart as a PNG, for mail clients that show no SVG: the same SVG, rasterized by
    CairoSVG at `scale` times its size (sharp on high-density screens)."""
    return cairosvg.svg2png(bytestring=svg.encode(), scale=scale)


def chart_text(svg: str) -> tuple[str, list[str]]:
    """The chart's title and its values ("2025-Q1: 1,234"), read back from the point titles
    `trend_svg` writes: the text that goes beside the picture."""
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own markup, made by trend_svg
    ns = "{http://www.w3.org/2000/svg}"
    title = root.findtext(f"{ns}title") or ""
    values = [
        point.findtext(f"{ns}title") or ""
        for point in root.iter(f"{ns}circle")
        if point.get("class") == "point"
    ]
    return title, values
