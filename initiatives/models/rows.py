"""Rows of an initiative: deliverables, action items, governance teams, risks and funding."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Contact, Partner

from .initiative import InInitiative, Initiative


def _check_due_date(row) -> None:
    initiative = getattr(row, "initiative", None) if row.initiative_id else None
    if row.due_date and initiative and row.due_date < initiative.start_date:
        raise ValidationError(
            {
                "due_date": _("The due date can't be before the initiative starts (%(start)s).")
                % {"start": date_format(initiative.start_date)}
            }
        )


class WorkStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


def _work_status() -> models.CharField:
    return models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )


def _contact_in_charge(verbose_name, *, related_name: str) -> models.ForeignKey:
    """The person in charge of a row: optional, and the row stays when they leave the registry."""
    return models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class DueWork:
    """Work with a due date and a work status (deliverables, action items): past due while open."""

    due_date: datetime.date | None
    status: str

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.due_date is not None and self.due_date < today and self.status != WorkStatus.DONE
        )


class Deliverable(DueWork, InInitiative, TenantModel):
    """A hard deliverable of the first twelve months (five are created with every initiative)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("deliverable"), max_length=300)
    status = _work_status()
    owner = _contact_in_charge(_("owner"), related_name="owned_deliverables")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("A note or a link that shows progress.")
    )
    position = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(_("done on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _check_due_date(self)


class ActionItem(DueWork, InInitiative, TenantModel):
    """One step of the joint plan of action."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead = _contact_in_charge(_("lead"), related_name="led_action_items")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = _work_status()
    deliverable = models.ForeignKey(
        Deliverable,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("deliverable"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("done on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = [models.F("due_date").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _check_due_date(self)


class TeamKind(models.TextChoices):
    LEADERSHIP_ROUNDTABLE = "leadership_roundtable", _("Leadership roundtable")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    DATA_TEAM = "data_team", _("Data team")
    LISTENING_TEAM = "listening_team", _("Listening team")
    ACTION_TEAM = "action_team", _("Action team / work group")
    OTHER = "other", _("Other")


class Team(InInitiative, TenantModel):
    """A table or team of the initiative's governance, with its charter."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="teams")
    kind = models.CharField(_("kind"), max_length=30, choices=TeamKind.choices)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    chair = _contact_in_charge(_("chair"), related_name="chaired_teams")
    seats = models.PositiveSmallIntegerField(
        _("seats"), null=True, blank=True, help_text=_("How many seats the table has.")
    )
    charter = models.TextField(
        _("team charter"),
        blank=True,
        help_text=_("Who does what, the outcomes we want, and how we work together."),
    )

    class Meta:
        ordering = ["initiative", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(TenantModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="team_seats", verbose_name=_("person")
    )
    seat = models.CharField(
        _("seat"),
        max_length=200,
        blank=True,
        help_text=_("Whom they speak for, e.g. “Sponsor seat” or “Lived experience”."),
    )

    class Meta:
        ordering = ["contact__last_name", "contact__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "contact"], name="one_seat_per_person_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.team}"

    @property
    def read_only_reason(self) -> str:
        return self.team.read_only_reason


class RiskLevel(models.TextChoices):
    """How likely a risk is, or how hard it would hit."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


LEVEL_SCORE = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1}


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATED = "mitigated", _("Mitigated")
    CLOSED = "closed", _("Closed")


class Risk(InInitiative, TenantModel):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField(_("risk"), max_length=500)
    likelihood = models.CharField(_("likelihood"), max_length=10, choices=RiskLevel.choices)
    impact = models.CharField(_("impact"), max_length=10, choices=RiskLevel.choices)
    owner = _contact_in_charge(_("owner"), related_name="owned_risks")
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description

    @property
    def severity(self) -> int:
        """Likelihood × impact, 1 (low, low) to 9 (high, high)."""
        return LEVEL_SCORE[self.likelihood] * LEVEL_SCORE[self.impact]


class FundingStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    RECEIVED = "received", _("Received")


class FundingKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")


class FundingCommitment(InInitiative, TenantModel):
    """Money or in-kind resources a funder or partner commits, per year over a period.

    "$100,000 a year for 5 years" is one commitment of 100,000 from the first to the fifth year.
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="funding_commitments"
    )
    funder = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("funder")
    )
    description = models.CharField(
        _("for"), max_length=300, blank=True, help_text=_("e.g. “to build a plan”")
    )
    amount = models.DecimalField(
        _("amount per year"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CAD")
    first_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FundingStatus.choices, default=FundingStatus.PLEDGED
    )
    kind = models.CharField(
        _("cash or in kind"), max_length=20, choices=FundingKind.choices, default=FundingKind.CASH
    )

    class Meta:
        ordering = ["first_year", "id"]

    def __str__(self) -> str:
        return f"{self.funder}: {self.amount} {self.currency}"

    def clean(self) -> None:
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("The last year can't be before the first year.")})

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1

    @property
    def total(self) -> Decimal:
        return self.amount * self.years
