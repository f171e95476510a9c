"""The registry: partner organizations and the people (contacts) of an organization,
their tags, consent to e-mail, the interaction log, and CSV imports and exports."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from backbone.models import Membership, TenantModel


class Sector(models.TextChoices):
    NON_PROFIT = "non_profit", _("Non-profit")
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    FUNDER = "funder", _("Funder")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    FAITH = "faith", _("Faith")
    COMMUNITY = "community", _("Community group / lived experience")
    OTHER = "other", _("Other")


class ConsentStatus(models.TextChoices):
    NONE = "none", _("Not asked")
    GIVEN = "given", _("Agreed to e-mail")
    WITHDRAWN = "withdrawn", _("Unsubscribed")


class Partner(TenantModel):
    """An organization that takes part: a non-profit, a city department, a funder…"""

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="partner_name_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Contact(TenantModel):
    """A person in the registry. Personal data: only members of the organization see it."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        verbose_name=_("works at"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    lived_experience = models.BooleanField(
        _("lived experience"),
        default=False,
        help_text=_("Brings lived experience of the issue to the table."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    tags = models.ManyToManyField(
        "Tag", blank=True, related_name="contacts", verbose_name=_("tags")
    )
    # The current consent state, kept beside the history (ConsentRecord) so that
    # lists filter on one column; only consent services write it.
    consent = models.CharField(
        _("e-mail consent"),
        max_length=20,
        choices=ConsentStatus.choices,
        default=ConsentStatus.NONE,
    )
    consent_changed_at = models.DateTimeField(_("consent changed at"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The newsletter's language for this person; empty: the organization's."),
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=~models.Q(email=""),
                name="contact_email_unique_per_org",
            )
        ]
        # The contacts list reads a page in this order: an index walk, not a sort of the
        # whole registry.
        indexes = [
            models.Index(
                fields=["organization", "last_name", "first_name", "id"], name="contact_list_order"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PartnerMembership(TenantModel):
    """Links a member with role `partner` to the Partner they report for.

    Lives here, not in backbone, so that the tenancy core knows no domain app.
    """

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="partner_link"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="user_links")

    def __str__(self) -> str:
        return f"{self.membership.user} → {self.partner}"


class Tag(TenantModel):
    """A label the backbone puts on contacts ("early years", "speaker", "newcomer")."""

    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("organization", Lower("name"), name="tag_name_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class ConsentSource(models.TextChoices):
    FORM = "form", _("Form")
    EVENT = "event", _("Event sign-up")
    IMPORT = "import", _("Import")
    STAFF = "staff", _("Recorded by staff")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")


class ConsentRecord(TenantModel):
    """One change of a contact's consent to receive e-mail: the history behind Contact.consent."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consent_records")
    status = models.CharField(
        _("consent"),
        max_length=20,
        choices=[(ConsentStatus.GIVEN, _("Agreed")), (ConsentStatus.WITHDRAWN, _("Unsubscribed"))],
    )
    recorded_at = models.DateTimeField(_("when"))
    source = models.CharField(_("how"), max_length=20, choices=ConsentSource.choices)
    basis = models.CharField(
        _("basis"),
        max_length=300,
        blank=True,
        help_text=_("For imports and staff records: how the person agreed (e.g. a signed sheet)."),
    )
    wording = models.TextField(_("wording shown"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent history record")
        verbose_name_plural = _("consent history records")

    def __str__(self) -> str:
        return f"{self.contact} · {self.get_status_display()} · {self.recorded_at:%Y-%m-%d}"


class InteractionKind(models.TextChoices):
    NOTE = "note", _("Note")
    EVENT = "event", _("Event attended")
    COMMITMENT = "commitment", _("Commitment signed")
    NEWSLETTER = "newsletter", _("Newsletter received")
    STORY = "story", _("Featured in a story")
    CONSENT = "consent", _("Consent")
    MERGE = "merge", _("Merged record")
    OTHER = "other", _("Other")


class Interaction(TenantModel):
    """One entry of a contact's timeline.

    Notes are logged on the contact page; the apps that own events, commitments
    and newsletters write their entries through `services.interaction_record`.
    """

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interactions")
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=20, choices=InteractionKind.choices)
    summary = models.TextField(_("summary"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Set by the app that writes the entry ("newsletter:42", "event:7") so that a
    # retried task logs it once.
    key = models.CharField(max_length=200, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["contact", "-occurred_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "key"],
                condition=~models.Q(key=""),
                name="interaction_key_once_per_contact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.get_kind_display()}"


class ImportKind(models.TextChoices):
    CONTACTS = "contacts", _("Contacts")
    PARTNERS = "partners", _("Partners")
    # Shared measurement imports its values through the same preview (see measures.imports).
    VALUES = "values", _("Indicator values")


# What the registry's own import page takes; other kinds belong to higher apps.
REGISTRY_IMPORT_KINDS = (ImportKind.CONTACTS, ImportKind.PARTNERS)


def new_batch_token() -> str:
    return secrets.token_urlsafe(24)


class ImportBatch(TenantModel):
    """An uploaded CSV, parsed and waiting for the coordinator's confirmation.

    The one import-preview mechanism of the project: the registry's contacts and
    partners, and indicator values (kind VALUES, written by measures). The parsed
    rows live here (not in the session) so the preview survives a refresh; the
    token in the URL is unguessable. Nothing changes until the kind's apply step.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        APPLIED = "applied", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    token = models.CharField(max_length=64, unique=True, default=new_batch_token, editable=False)
    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices)
    filename = models.CharField(_("file"), max_length=255)
    consent_basis = models.CharField(_("consent basis"), max_length=300, blank=True)
    # The id of what a higher app imports into (the initiative of imported values):
    # a plain number, because the registry knows no app above it.
    destination_id = models.PositiveBigIntegerField(null=True, blank=True)
    archive_ids = {"destination_id": "initiatives.initiative"}  # see backbone.archive_ids
    # The rows of a registry import name whom they update; a partner's values import
    # names the partner in `result` (the counts of the others hold no ids).
    archive_json_ids = {
        "rows": {
            "[].contact_id": "stakeholders.contact",
            "[].partner_id": "stakeholders.partner",
            "[].clean.partner_id": "stakeholders.partner",
        },
        "file_errors": {},
        "result": {"partner": "stakeholders.partner"},
    }
    rows = models.JSONField(default=list)
    file_errors = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ExportLog(TenantModel):
    """Who exported how many rows of personal data, and when."""

    kind = models.CharField(
        _("what"),
        max_length=20,
        choices=[(kind.value, kind.label) for kind in REGISTRY_IMPORT_KINDS],
    )
    file_format = models.CharField(_("format"), max_length=10, default="csv")
    row_count = models.PositiveIntegerField(_("rows"))
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    exported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.row_count} rows · {self.exported_at:%Y-%m-%d}"


class CapacityLevel(models.IntegerChoices):
    NEEDS_MUCH_HELP = 1, _("1 · We need a lot of help")
    NEEDS_SOME_HELP = 2, _("2 · We need some help")
    MOSTLY_ABLE = 3, _("3 · We mostly manage")
    STRONG = 4, _("4 · A strength we could share")


# The five questions of the capacity self-assessment: (score field, its label, what it asks).
CAPACITY_DIMENSIONS = (
    ("data_capacity", _("Data capacity"), _("Can you collect, check and report the data asked?")),
    ("staff_time", _("Staff time"), _("Do you have people with time for the initiative's work?")),
    ("technology", _("Technology"), _("Do your tools (computers, software, internet) suffice?")),
    (
        "consent_practices",
        _("Consent practices"),
        _("Do you ask and record people's consent to use their information?"),
    ),
    ("leadership", _("Will to lead"), _("Would you lead a strategy of the initiative?")),
)

# At or below this score a partner needs help on that dimension.
CAPACITY_NEEDS_HELP = CapacityLevel.NEEDS_SOME_HELP


def _capacity_score(label):
    return models.PositiveSmallIntegerField(label, choices=CapacityLevel.choices)


def _capacity_comment():
    return models.TextField(_("comment"), blank=True)


class CapacityAssessment(TenantModel):
    """A partner's yearly self-assessment of its capacity: one row per partner and year,
    kept as history. Filled by the partner's own users or by staff on its behalf."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="capacity_assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    data_capacity = _capacity_score(_("Data capacity"))
    data_capacity_comment = _capacity_comment()
    staff_time = _capacity_score(_("Staff time"))
    staff_time_comment = _capacity_comment()
    technology = _capacity_score(_("Technology"))
    technology_comment = _capacity_comment()
    consent_practices = _capacity_score(_("Consent practices"))
    consent_practices_comment = _capacity_comment()
    leadership = _capacity_score(_("Will to lead"))
    leadership_comment = _capacity_comment()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by_name = models.CharField(max_length=300, blank=True)  # kept if they go
    on_behalf = models.BooleanField(
        default=False, help_text=_("Filled by backbone staff on the partner's behalf.")
    )
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["partner__name", "-year"]
        verbose_name = _("capacity assessment")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "year"], name="one_capacity_per_partner_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.year}"

    @property
    def answers(self) -> list[dict]:
        """Each dimension's label, score (with its words) and comment, in the order asked."""
        return [
            {
                "name": name,
                "label": label,
                "score": getattr(self, name),
                "words": CapacityLevel(getattr(self, name)).label,
                "comment": getattr(self, f"{name}_comment"),
                "needs_help": getattr(self, name) <= CAPACITY_NEEDS_HELP,
            }
            for name, label, _question in CAPACITY_DIMENSIONS
        ]
