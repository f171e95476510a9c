"""Rules a value must pass before it is saved: unit-aware bounds and plausibility."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from backbone.forms import parse_number

from .flags import is_fractional_count
from .models import Indicator, Unit


@dataclass
class Verdict:
    value: Decimal | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_value(raw: str | Decimal | None) -> Decimal:
    """A Decimal from what a person typed, read as the organization's locale writes numbers
    (see `backbone.forms.parse_number`)."""
    if isinstance(raw, Decimal):
        return raw
    text = parse_number(raw or "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def check_value(
    indicator: Indicator, raw, *, previous: Decimal | None = None, previous_period: str = ""
) -> Verdict:
    """Errors block saving; warnings (a big jump from last period) need a confirming comment.
    `previous_period`: set when `previous` is the last approved value of that period rather
    than the value of the period just before."""
    verdict = Verdict()
    try:
        value = parse_value(raw)
    except ValueError:
        verdict.errors.append(_("Enter a number, like 42 or 12.5."))
        return verdict
    verdict.value = value
    if value.as_tuple().exponent < -4 or abs(value) >= Decimal("1e14"):
        verdict.errors.append(_("That number is too long; use at most four decimal places."))
        return verdict
    if is_fractional_count(indicator, value):
        verdict.errors.append(_("This is a count: enter a whole number, like 12 or 13."))
    if indicator.unit == Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        verdict.errors.append(_("A percentage must be between 0 and 100."))
    elif indicator.unit != Unit.PERCENT and value < 0:
        verdict.errors.append(_("This count cannot be negative."))
    if indicator.minimum is not None and value < indicator.minimum:
        verdict.errors.append(
            _("The lowest plausible value for this indicator is %(min)s.")
            % {"min": indicator.format_value(indicator.minimum)}
        )
    if indicator.maximum is not None and value > indicator.maximum:
        verdict.errors.append(
            _("The highest plausible value for this indicator is %(max)s.")
            % {"max": indicator.format_value(indicator.maximum)}
        )
    if not verdict.errors and previous not in (None, Decimal(0)):
        change = abs(value - previous) / abs(previous) * 100
        if change > indicator.change_warning_percent and previous_period:
            verdict.warnings.append(
                _(
                    "This is %(change)s%% away from the last approved value (%(period)s: "
                    "%(previous)s). If it is right, say why in a comment and confirm."
                )
                % {
                    "change": round(change),
                    "period": previous_period,
                    "previous": indicator.format_value(previous),
                }
            )
        elif change > indicator.change_warning_percent:
            verdict.warnings.append(
                _(
                    "This is %(change)s%% away from the previous period (%(previous)s). "
                    "If it is right, say why in a comment and confirm."
                )
                % {"change": round(change), "previous": indicator.format_value(previous)}
            )
    return verdict
