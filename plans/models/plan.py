"""The common agenda plan of an initiative, its versions and their PDFs.

A version is edited as a draft; adopting it freezes it for good. The freeze is
enforced here, under every path that writes: `save()` and `delete()` of the
version and of everything it contains, `full_clean()` (so forms and the admin
say why), and queryset `update()`/`delete()` (bulk paths that skip `save()`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backbone.models import TenantModel
from initiatives.models import ActionItem, EngagementLevel, InInitiative, Initiative
from measures.models import VALUE_DIGITS, Indicator
from stakeholders.models import Contact, Partner


class SectionKey(models.TextChoices):
    """The plan's table of contents, in the order the seed gives ("Draft a plan")."""

    EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
    WHO_WE_ARE = (
        "who_we_are",
        _("Who we are, the consensus we have reached and why a collective impact approach"),
    )
    CHANGE = "change", _("The change we want to see")
    NOW = "now", _("What is happening now")
    VISION_GOALS = "vision_goals", _("Vision and goals")
    STRATEGY_TARGETS = "strategy_targets", _("Strategy and targets")
    GOVERNANCE = "governance", _("Governance model")
    BUDGET = "budget", _("Budget")
    APPENDICES = "appendices", _("Appendices")


SECTION_ORDER = [key for key, _label in SectionKey.choices]


class VersionFrozenError(ValidationError):
    """Raised by any attempt to change an adopted version or what it contains."""

    def __init__(self, message=None):
        super().__init__(
            message or _("This version was adopted and is frozen: it can never be changed.")
        )


class Plan(InInitiative, TenantModel):
    """The common agenda of one initiative: a series of versions."""

    initiative = models.OneToOneField(Initiative, on_delete=models.CASCADE, related_name="plan")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(_("Plan of %(initiative)s") % {"initiative": self.initiative})


class FrozenQuerySet(models.QuerySet):
    """Bulk writes (they skip `save()`) refuse to touch an adopted version or its parts."""

    def _refuse_if_adopted(self) -> None:
        path = getattr(self.model, "version_path", "")
        status = f"{path}__status" if path else "status"
        if self.filter(**{status: PlanVersion.Status.ADOPTED}).exists():
            raise VersionFrozenError()

    def update(self, **kwargs):
        self._refuse_if_adopted()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_adopted()
        return super().delete()


class Freezes:
    """Refuses `full_clean()` (so forms and the admin say why), `save()` and `delete()`
    while `_frozen()` says the row belongs to an adopted version."""

    def _frozen(self) -> bool:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        if self._frozen():
            raise VersionFrozenError()

    def save(self, *args, **kwargs) -> None:
        if self._frozen():
            raise VersionFrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._frozen():
            raise VersionFrozenError()
        return super().delete(*args, **kwargs)


class PlanVersion(Freezes, TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by_body = models.CharField(
        _("adopted by"),
        max_length=200,
        blank=True,
        help_text=_("The body that adopted the plan, e.g. “Leadership roundtable”."),
    )
    adopted_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The data-assembled parts of the sections as they were on adoption day
    # ({section key: HTML}): live tables change, an adopted version does not.
    data_snapshot = models.JSONField(null=True, blank=True, editable=False)
    # {section key: HTML}: names and figures, no ids nor links (see backbone.archive_ids).
    archive_json_ids = {"data_snapshot": {}}
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(FrozenQuerySet),
        organization="organization",
    )

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(status="draft"), name="one_draft_per_plan"
            ),
            # An adopted version always says when and by whom.
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(adopted_on__isnull=False) & ~models.Q(adopted_by_body="")),
                name="adopted_version_has_date_and_body",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def read_only_reason(self) -> str:
        """Why no one may change the version now, whether adopted or not (its initiative
        is archived); the freeze of an adopted version says so itself."""
        return self.plan.read_only_reason

    def was_adopted(self) -> bool:
        """What the database says, whatever this instance holds in memory."""
        if self.pk is None:
            return False
        return PlanVersion._base_manager.filter(pk=self.pk, status=self.Status.ADOPTED).exists()

    def _frozen(self) -> bool:
        return self.was_adopted()


def version_part_manager():
    # A fresh manager per model: a manager instance belongs to one model class.
    return ScopedManager(
        _manager_class=models.Manager.from_queryset(FrozenQuerySet),
        organization="organization",
    )


class VersionPart(Freezes, TenantModel):
    """Something a version contains; frozen with its version."""

    version_path = "version"

    class Meta:
        abstract = True

    def owning_version_id(self) -> int | None:
        return self.version_id

    def _frozen(self) -> bool:
        version_id = self.owning_version_id()
        if version_id is None:
            return False
        adopted = PlanVersion._base_manager.filter(
            pk=version_id, status=PlanVersion.Status.ADOPTED
        ).exists()
        if adopted or self.pk is None:
            return adopted
        # Moving a row out of an adopted version is a change to that version too.
        previous = type(self)._base_manager.filter(pk=self.pk).first()
        return (
            previous is not None
            and previous.owning_version_id() != version_id
            and (
                PlanVersion._base_manager.filter(
                    pk=previous.owning_version_id(), status=PlanVersion.Status.ADOPTED
                ).exists()
            )
        )


class PlanSection(VersionPart):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=30, choices=SectionKey.choices)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Markdown: **bold**, *italic*, lists with “-”, headings with “###”, links."),
    )

    objects = version_part_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_section_per_key")
        ]

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def position(self) -> int:
        return SECTION_ORDER.index(self.key)


class SectionText(TenantModel):
    """A text a section was saved with: who saved it, when (the section's history)."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="texts")
    body = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]


class Lead(models.Model):
    """A strategy's lead: a contact or a partner from the registry."""

    lead_contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead (person)"),
    )
    lead_partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead (organization)"),
    )

    class Meta:
        abstract = True

    @property
    def lead(self) -> Contact | Partner | None:
        return self.lead_contact or self.lead_partner

    @property
    def lead_name(self) -> str:
        return str(self.lead) if self.lead else ""


class Goal(VersionPart):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = version_part_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Strategy(Lead, VersionPart):
    version_path = "goal__version"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(_("strategy"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    target = models.CharField(
        _("target"),
        max_length=300,
        blank=True,
        help_text=_("What success looks like, e.g. “200 families with a new income source”."),
    )
    position = models.PositiveIntegerField(default=0)

    objects = version_part_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.title

    def owning_version_id(self) -> int | None:
        if self.goal_id is None:
            return None
        return Goal._base_manager.filter(pk=self.goal_id).values_list("version_id", flat=True)[0]


class StrategyPart(VersionPart):
    """Something a strategy holds (an action item's link, a target): frozen with the
    strategy's version, and tied to something of the plan's own initiative."""

    version_path = "strategy__goal__version"
    # The foreign key that must point into the plan's initiative, and what to say if not.
    same_initiative_field = ""
    same_initiative_error = ""

    class Meta:
        abstract = True

    def owning_version_id(self) -> int | None:
        if self.strategy_id is None:
            return None
        return (
            Strategy._base_manager.filter(pk=self.strategy_id)
            .values_list("goal__version_id", flat=True)
            .first()
        )

    def clean(self) -> None:
        super().clean()
        field = self._meta.get_field(self.same_initiative_field)
        related_id = getattr(self, field.attname)
        if not (related_id and self.strategy_id):
            return
        initiative_id = (
            Strategy._base_manager.filter(pk=self.strategy_id)
            .values_list("goal__version__plan__initiative_id", flat=True)
            .first()
        )
        theirs = (
            field.related_model._base_manager.filter(pk=related_id)
            .values_list("initiative_id", flat=True)
            .first()
        )
        if theirs != initiative_id:
            raise ValidationError({field.name: self.same_initiative_error})


class StrategyAction(StrategyPart):
    """An action item of the joint plan of action that serves a strategy.

    The link lives here, in the higher app: `initiatives` knows nothing of plans.
    """

    same_initiative_field = "action_item"
    same_initiative_error = _("Choose an action item of this initiative.")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    # PROTECT: removing an action item must not rewrite the plan versions that link it.
    action_item = models.ForeignKey(
        ActionItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("action item")
    )

    objects = version_part_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "action_item"], name="one_link_per_action")
        ]

    def __str__(self) -> str:
        return f"{self.strategy} ← {self.action_item}"


class StrategyTarget(StrategyPart):
    """A strategy's measurable target: an indicator of the initiative, a value, a date."""

    same_initiative_field = "indicator"
    same_initiative_error = _("Choose an indicator of this plan's initiative.")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("target value"), **VALUE_DIGITS)
    date = models.DateField(_("by"), help_text=_("The date by which the target is reached."))

    objects = version_part_manager()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.formatted_value} ({self.date})"

    @property
    def formatted_value(self) -> str:
        """The value in the indicator's unit and decimals ("12,000", "12.0 %")."""
        return self.indicator.format_value(self.value)


class BudgetLine(VersionPart):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    year = models.PositiveIntegerField(_("year"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Who funds it, e.g. “United Way”.")
    )

    objects = version_part_manager()

    class Meta:
        ordering = ["year", "pk"]

    def __str__(self) -> str:
        return f"{self.item} ({self.year})"


# The engagement plan is a package of the spectrum's first three steps ("Inform – Consult –
# Involve is a package"): the same levels as a participant's, fewer of them.
PLANNED_ENGAGEMENT_LEVELS = [
    (level.value, level.label)
    for level in (EngagementLevel.INFORM, EngagementLevel.CONSULT, EngagementLevel.INVOLVE)
]


class EngagementActivity(Lead, VersionPart):
    """One strategy of the engagement plan ("Inform – Consult – Involve is a package")."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="engagement_activities"
    )
    level = models.CharField(_("level"), max_length=10, choices=PLANNED_ENGAGEMENT_LEVELS)
    title = models.CharField(_("activity"), max_length=300)
    target = models.CharField(
        _("target"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “residents at community conversations”."),
    )
    target_number = models.PositiveIntegerField(_("target number"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    objects = version_part_manager()

    class Meta:
        ordering = ["level", "pk"]
        verbose_name_plural = _("engagement activities")

    def __str__(self) -> str:
        return self.title


class Comment(TenantModel):
    """A roundtable member's remark on a section of a draft."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    section_key = models.CharField(_("section"), max_length=30, choices=SectionKey.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class PlanPdf(TenantModel):
    """A PDF of a version, keyed by the hash of the content it was made from.

    An adopted version's content never changes, so its PDF is made once; a draft
    gets a new row (and a new rendering) whenever its content hash changes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="pdfs")
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="plans/pdf/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "content_hash"], name="one_pdf_per_content")
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.content_hash[:8]} ({self.status})"

    @property
    def state(self) -> str:
        """The PDF panel's word for the status, as for a report card's PDF: "working"
        while it is being made, else "ready" or "failed"."""
        if self.status in (self.Status.PENDING, self.Status.RENDERING):
            return "working"
        return self.status
