"""Shared measurement: indicators, targets, data requests, data points and their history."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from initiatives.models import InInitiative, Initiative
from stakeholders.models import Contact, Partner

from .periods import Frequency, Period, parse_period

__all__ = ["Frequency"]

VALUE_DIGITS = {"max_digits": 18, "decimal_places": 4}


class Unit(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENT = "percent", _("Percent")
    CURRENCY = "currency", _("Currency (dollars)")
    RATE = "rate_1000", _("Rate per 1,000")


class Direction(models.TextChoices):
    UP = "up", _("Up is better")
    DOWN = "down", _("Down is better")


class MeasureLevel(models.TextChoices):
    """Whether an indicator measures a population result or a program's performance."""

    POPULATION = "population", _("Population result")
    PERFORMANCE = "performance", _("Program performance")


class Aggregation(models.TextChoices):
    PICK = "pick", _("Pick one partner's value")
    SUM = "sum", _("Sum of partners' values")
    MEAN = "mean", _("Mean of partners' values")


class Indicator(InInitiative, TenantModel):
    """A measure the partners agreed on; its definition is the common language."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("initiative"),
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(
        _("definition"), help_text=_("What exactly is counted, so every partner counts the same.")
    )
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.NUMBER)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    direction = models.CharField(
        _("desired direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    level = models.CharField(
        _("level"), max_length=20, choices=MeasureLevel.choices, default=MeasureLevel.POPULATION
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    champion = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="championed_indicators",
        verbose_name=_("champion"),
    )
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE_DIGITS)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=300, blank=True)
    minimum = models.DecimalField(
        _("lowest plausible value"), null=True, blank=True, **VALUE_DIGITS
    )
    maximum = models.DecimalField(
        _("highest plausible value"), null=True, blank=True, **VALUE_DIGITS
    )
    change_warning_percent = models.PositiveSmallIntegerField(
        _("warn on change above (%)"),
        default=25,
        help_text=_("A value this far from the previous period must be confirmed with a comment."),
    )
    disaggregation = models.JSONField(
        _("disaggregation"),
        default=dict,
        blank=True,
        help_text=_('Dimensions and their categories, e.g. {"Age group": ["0–5", "6–12"]}.'),
    )
    archive_json_ids = {"disaggregation": {}}  # names only (see backbone.archive_ids)
    aggregation = models.CharField(
        _("when partners' values conflict"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.PICK,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative_id", "name"]
        indexes = [models.Index(fields=["organization", "initiative"])]

    def __str__(self) -> str:
        return self.name

    def period(self, key: str) -> Period:
        return parse_period(key, self.frequency)

    @property
    def cells(self) -> list[str]:
        """Disaggregation cells ("Age group: 0–5"), the total ("") first."""
        cells = [""]
        for dimension, categories in (self.disaggregation or {}).items():
            cells.extend(f"{dimension}: {category}" for category in categories)
        return cells

    def format_value(self, value: Decimal | None) -> str:
        if value is None:
            return "–"
        # In the active language: "10,176.5" in English, "10 176,5" in French.
        rounded = number_format(value, decimal_pos=self.decimal_places, force_grouping=True)
        if self.unit == Unit.PERCENT:
            return f"{rounded} %" if get_language() != "fr" else f"{rounded}\u00a0%"
        if self.unit == Unit.CURRENCY:
            return f"${rounded}" if get_language() != "fr" else f"{rounded}\u00a0$"
        if self.unit == Unit.RATE:
            return f"{rounded} / {number_format(1000, force_grouping=True)}"
        return rounded


class Target(TenantModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("target value"), **VALUE_DIGITS)
    date = models.DateField(_("by"))

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} by {self.date}"


class DataRequest(TenantModel):
    """A partner must report an indicator: every period (period blank) or one period.

    A row with `excluded` set is a per-partner exception to "every period".
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="requests")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="data_requests")
    period = models.CharField(_("period"), max_length=10, blank=True)
    due_days = models.PositiveSmallIntegerField(_("due (days after the period ends)"), default=30)
    excluded = models.BooleanField(_("not this period"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "partner", "period"], name="one_request_per_partner_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.indicator} {self.period or '*'}"


class DataPoint(TenantModel):
    """One value for (indicator, period, reporting partner, disaggregation cell)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="data_points")
    period = models.CharField(_("period"), max_length=10)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="data_points", verbose_name=_("partner")
    )
    cell = models.CharField(_("disaggregation"), max_length=200, blank=True)
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    entered_by_staff = models.BooleanField(_("entered by the backbone"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator_id", "period", "partner_id", "cell"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "partner", "cell"], name="one_value_per_cell"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["indicator", "status", "cell"]),
        ]

    def __str__(self) -> str:
        cell = f" ({self.cell})" if self.cell else ""
        return f"{self.indicator} {self.period}{cell}: {self.value}"

    @property
    def read_only_reason(self) -> str:
        """A value is as frozen as its indicator's initiative (see `backbone.access`)."""
        return self.indicator.read_only_reason


class DataPointChange(TenantModel):
    """One step in a data point's history: who, when, old → new value and status, why."""

    data_point = models.ForeignKey(DataPoint, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    old_value = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    new_value = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    old_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Resolution(TenantModel):
    """How the coordinator settled partners' conflicting values for a period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="resolutions")
    period = models.CharField(max_length=10)
    method = models.CharField(max_length=10, choices=Aggregation.choices)
    chosen = models.ForeignKey(
        DataPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.DecimalField(**VALUE_DIGITS)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="one_resolution_per_period"
            )
        ]


class CurveStory(TenantModel):
    """The story behind the curve for an indicator and period (results-based accountability)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="stories")
    period = models.CharField(_("period"), max_length=10)
    text = models.TextField(
        _("story behind the curve"),
        help_text=_("What drives the trend, which partners have a role, what works."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_story_per_period")
        ]


class GlossaryTerm(InInitiative, TenantModel):
    """A word of the initiative's common language that is not an indicator ("LIM-AT", "EDI")."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="glossary_terms"
    )
    term = models.CharField(_("term"), max_length=120)
    meaning = models.TextField(_("meaning"))

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "term"], name="one_meaning_per_term")
        ]

    def __str__(self) -> str:
        return self.term


class ReminderSent(TenantModel):
    """A data-due reminder mailed to one partner user for one request, on one day.

    Unique per (user, indicator, partner, period, day): the daily job never
    reminds anyone twice about the same request on the same day.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "indicator", "partner", "period", "sent_on"],
                name="one_reminder_per_request_and_day",
            )
        ]


class LateSummarySent(TenantModel):
    """The weekly "who is late" summary to coordinators, once per organization and week."""

    week_of = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "week_of"], name="one_late_summary_per_week"
            )
        ]


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    PARTNER = "partner", _("Partner agreement")
    TERMS = "terms", _("Terms of reference")
    DATA_SHARING = "data_sharing", _("Data-sharing agreement")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    EXPIRED = "expired", _("Expired")
    ENDED = "ended", _("Ended")


class SharingPermission(models.TextChoices):
    """What a data-sharing agreement allows with the values of the indicators it covers."""

    INTERNAL = "internal", _("Internal use only")
    AGGREGATE = "aggregate", _("Published in aggregate")
    PER_PARTNER = "per_partner", _("Published per partner")


class Agreement(InInitiative, TenantModel):
    """A memorandum, partner agreement, terms of reference or data-sharing agreement.

    Its status as stored is draft, signed or ended; a signed agreement past its expiry
    date reads as expired (`current_status`) without a job having to write it.
    """

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("initiative"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(
        Partner, related_name="agreements", verbose_name=_("parties"), blank=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    document = models.FileField(_("document"), upload_to="measures/agreements/", blank=True)
    indicators = models.ManyToManyField(
        Indicator,
        related_name="agreements",
        verbose_name=_("indicators covered"),
        blank=True,
        help_text=_("For a data-sharing agreement: the indicators whose values it covers."),
    )
    permission = models.CharField(
        _("what is allowed"),
        max_length=20,
        choices=SharingPermission.choices,
        default=SharingPermission.INTERNAL,
    )
    notes = models.TextField(_("notes"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(_("why it ended"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_on", "title"]
        indexes = [models.Index(fields=["organization", "initiative", "kind"])]

    def __str__(self) -> str:
        return self.title

    def current_status(self, today) -> str:
        if self.status == AgreementStatus.SIGNED and self.expires_on and self.expires_on < today:
            return AgreementStatus.EXPIRED
        return self.status

    def current_status_label(self, today) -> str:
        return str(AgreementStatus(self.current_status(today)).label)


class IndicatorDefinition(TenantModel):
    """One version of an indicator's definition. Values of periods that start on or after
    `applies_from` were collected under it (the first version has no start)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="definitions")
    number = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    applies_from = models.DateField(_("applies from"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last correction of this version's text in place (a typo fix, not a new meaning).
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["indicator_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "number"], name="one_definition_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class IndicatorReview(InInitiative, TenantModel):
    """The yearly review of an initiative's indicators: are we measuring the right things?"""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="indicator_reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="one_review_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.year}"


class Answer3(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class DataQuality(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class ReviewDecision(models.TextChoices):
    KEEP = "keep", _("Keep")
    REVISE = "revise", _("Revise")
    RETIRE = "retire", _("Retire")


class IndicatorVerdict(TenantModel):
    """What the review concluded about one indicator, who decided and when."""

    review = models.ForeignKey(IndicatorReview, on_delete=models.CASCADE, related_name="verdicts")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="verdicts")
    still_relevant = models.CharField(_("still relevant?"), max_length=10, choices=Answer3.choices)
    right_thing = models.CharField(
        _("measuring the right thing?"), max_length=10, choices=Answer3.choices
    )
    data_quality = models.CharField(_("data quality"), max_length=10, choices=DataQuality.choices)
    comment = models.TextField(_("comment"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices)
    new_definition = models.ForeignKey(
        IndicatorDefinition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["review_id", "indicator__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "indicator"], name="one_verdict_per_review")
        ]
