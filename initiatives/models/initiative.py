"""An initiative: its phases, and the record of moving between them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Partner


class Phase(models.TextChoices):
    PRE_LAUNCH = "pre_launch", _("I. Pre-launch")
    INITIATE_ACTION = "initiate_action", _("II. Initiate action")
    ORGANIZE_FOR_IMPACT = "organize_for_impact", _("III. Organize for impact")
    SUSTAINING_IMPACT = "sustaining_impact", _("IV. Implementing and sustaining impact")


class Initiative(TenantModel):
    """One collective impact effort, e.g. "Poverty Reduction Roundtable 2027"."""

    name = models.CharField(_("name"), max_length=200)
    issue = models.CharField(
        _("community issue"),
        max_length=300,
        help_text=_("The one community problem the partners work on together."),
    )
    geography = models.CharField(_("geography"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=30, choices=Phase.choices, default=Phase.PRE_LAUNCH
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sponsor = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sponsor or fiscal agent"),
        help_text=_("A strong organization with charitable status that holds the money."),
    )
    sponsor_seats = models.PositiveSmallIntegerField(
        _("sponsor's seats on the roundtable"), default=2
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phase_number(self) -> int:
        return phase_number(self.phase)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def read_only_reason(self) -> str:
        """Why nothing in this initiative may change now ("" when it may); read by
        `backbone.access.access(..., write=True)`. An archived initiative stays readable."""
        if self.is_archived:
            return str(_("This initiative is archived: restore it to make changes."))
        return ""


class InInitiative:
    """For models that belong to an initiative (a row, an indicator, a plan): they are
    read-only while their initiative is. Needs an `initiative` foreign key."""

    @property
    def read_only_reason(self) -> str:
        return self.initiative.read_only_reason


PHASE_ORDER: list[str] = [choice.value for choice in Phase]


def phase_number(phase: str) -> int:
    """1 for Pre-launch … 4 for Implementing and sustaining impact."""
    return PHASE_ORDER.index(phase) + 1


class PhaseTransition(InInitiative, TenantModel):
    """A recorded change of phase: who moved the initiative, when, why, and what was still open."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(_("from"), max_length=30, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=30, choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    open_items = models.JSONField(
        _("items still open"),
        default=list,
        blank=True,
        help_text=_("Readiness items of the phase left that were not ticked."),
    )
    # The phase's reflection board as it stood when the phase ended: notes and their votes.
    reflections = models.JSONField(_("reflection board"), default=list, blank=True)
    # Where ids are in the JSON above (see backbone.archive_ids); reflections hold text only.
    archive_json_ids = {
        "open_items": {"[].id": "initiatives.readinessitem"},
        "reflections": {},
    }

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.from_phase} → {self.to_phase}"

    @property
    def is_backward(self) -> bool:
        return phase_number(self.to_phase) < phase_number(self.from_phase)
