"""The tenancy core: people, organizations, memberships, invitations, job runs."""

import functools
import hashlib
import secrets
import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class EmailUserManager(UserManager):
    """Users log in with their e-mail address; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("For the mail we send you; empty: the organization's language."),
    )
    # Replaced when the person's memberships change: the key of their cached organization
    # switcher (backbone.switcher), read with the user on every request at no cost.
    switcher_stamp = models.UUIDField(default=uuid.uuid4, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The machine's tz database, read once per process: `available_timezones()` walks the
    zoneinfo folders on every call (~600 files, most of the settings page's time)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    # Not model choices: the zone list comes from the machine's tz database, and
    # choices would put it into migrations.
    if value not in time_zone_names():
        raise ValidationError(_("“%(value)s” is not a time zone we know."), params={"value": value})


RESERVED_SLUGS = {"new", "admin", "accounts", "static", "media", "api", "invite", "o"}

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lowercase letters, digits and single hyphens, like “riverside-collective”."),
)


class Organization(models.Model):
    """A backbone organization: the tenant that owns everything else."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("web address"),
        max_length=50,
        unique=True,
        validators=[slug_validator],
        help_text=_("Used in links: /o/<web address>/. Lowercase letters, digits, hyphens."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default="America/Toronto"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    newsletter_weekday = models.PositiveSmallIntegerField(
        _("newsletter day"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        default=0,
        help_text=_("The weekly newsletter draft is prepared on this day…"),
    )
    newsletter_hour = models.PositiveSmallIntegerField(
        _("newsletter hour"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        default=8,
        help_text=_("…at this hour, in the organization's time zone."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class TenantModel(models.Model):
    """Base for every tenant-owned row.

    Each carries its organization directly (even when a parent would reach it) so
    scoping is one indexed column, and django-scopes raises on any query made
    without an active organization scope instead of leaking rows.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """`get_<field>_display()` as Django's, whose every call hashes each of the field's
        (lazy, translated) labels: a list of a hundred rows paid for thousands of lookups.
        The field's {value: label} is built once per process; the label is translated when
        it is read, in the language of the request."""
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            try:
                labels = dict(field.flatchoices)
            except TypeError:  # unhashable values (a JSON field's): Django's way
                return super()._get_FIELD_display(field)
            _CHOICE_LABELS[field] = labels
        value = getattr(self, field.attname)
        try:
            return force_str(labels.get(value, value), strings_only=True)
        except TypeError:  # an unhashable value
            return super()._get_FIELD_display(field)


# field → {value: label}, for `TenantModel._get_FIELD_display` (choices never change at run time)
_CHOICE_LABELS: dict = {}


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    ROUNDTABLE = "roundtable", _("Roundtable member")


class Membership(models.Model):
    """A person's place in an organization.

    Not scoped by django-scopes: memberships are the key that decides the scope,
    and the organization switcher lists one person's memberships across
    organizations. Every query on them filters by organization or by user.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A member's private calendar feed (iCalendar) of one organization: its address holds
    a random token, kept here only as a hash; revoking deletes the row, renewing replaces
    the hash, and either stops the old address at once. What the feed lists is the top
    app's (plans) to compose; the core only knows whose feed a token opens."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.membership} · calendar"


class ApiToken(models.Model):
    """A person's key to the API for one organization (their membership there).

    Only the SHA-256 of the secret is kept; the secret is shown once, when it is made.
    The token acts with the membership's role, so removing the member, or changing
    their role, changes what the token may do at once. Not scoped: a request finds
    its token (and so its organization) by the hash before any scope exists.
    """

    PREFIX = "bbk_"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, to tell tokens apart in a list.
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def default_invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


class Invitation(models.Model):
    """An invitation to join an organization. The token is kept only as a hash."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A partner user's invitation names the partner; accepting links the membership to it.
    # (An id, not a key: the core knows no domain app; stakeholders reads it.)
    partner_id = models.PositiveIntegerField(null=True, blank=True)
    # The partner's name as it was when invited, for the landing page and the mail.
    partner_name = models.CharField(_("partner"), max_length=300, blank=True, db_default="")
    name = models.CharField(_("name"), max_length=300, blank=True)
    # The language of the invitation mail, chosen by who invites; empty: the organization's.
    # A new account that has not chosen a language takes it on accepting.
    language = models.CharField(
        _("language of the invitation"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        db_default="",  # the code still serving during a deploy inserts without it
    )

    archive_ids = {"partner_id": "stakeholders.partner"}  # see backbone.archive_ids

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class JobRun(models.Model):
    """One run of a background job, so that a failed week gets noticed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="job_runs"
    )
    arguments = models.JSONField(default=dict, blank=True)
    # The ids among the keyword arguments of the tasks (each name means one model in every
    # task that takes it; tests/backbone/test_archive.py checks every task's are here).
    archive_json_ids = {  # see backbone.archive_ids
        "arguments": {
            "kwargs.invitation_id": "backbone.invitation",
            "kwargs.archive_id": "backbone.organizationarchive",
            "kwargs.survey_id": "initiatives.feedbacksurvey",
            "kwargs.pdf_id": "plans.planpdf",
            "kwargs.report_id": "plans.handoverreport",
            "kwargs.report_card_id": "plans.reportcard",
            "kwargs.newsletter_id": "plans.newsletter",
            "kwargs.review_id": "plans.review",
            "kwargs.respondent_ids[]": "plans.reviewrespondent",
        }
    }
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["organization", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.status})"

    @property
    def duration(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class NotificationKind(models.TextChoices):
    VALUE_RETURNED = "value_returned", _("A value of ours was returned to fix")
    VALUES_SUBMITTED = "values_submitted", _("Values were submitted for approval")
    DRAFT_COMMENT = "draft_comment", _("Someone commented on a draft")
    PLAN_ADOPTED = "plan_adopted", _("A plan was adopted")
    REPORT_CARD_ISSUED = "report_card_issued", _("A report card was issued")
    INVITATION_ACCEPTED = "invitation_accepted", _("Someone accepted my invitation")
    JOB_FAILED = "job_failed", _("A background job failed")
    DATA_DUE = "data_due", _("Data is due or overdue")
    AGREEMENT_EXPIRING = "agreement_expiring", _("An agreement expires soon")
    REVIEW_ANSWERED = "review_answered", _("Someone answered a backbone review of mine")
    REVIEW_PUBLISHED = "review_published", _("The results of a backbone review were published")
    ADMIN_TRANSFER = "admin_transfer", _("Someone offers me the admin role")


class NotificationDelivery(models.TextChoices):
    NOW = "now", _("Mail at once")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Don't mail (only the list)")


class Notification(TenantModel):
    """Something a member should know, listed under the bell and mailed as they choose.

    `key` names the event; with the recipient it is unique, so a retried job that
    notifies again finds the row already there and adds nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)  # a path on this site
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    digest_on = models.DateField(null=True, blank=True)  # the local day of its digest mail

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "key"], name="one_notification_per_event"
            )
        ]
        indexes = [models.Index(fields=["user", "organization", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How one person wants one kind of notification mailed (absent: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_choices"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=10, choices=NotificationDelivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_choice_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.delivery}"


class LastEdit(TenantModel):
    """Who last saved a row through an edit form, so a refused stale save can say who
    changed it meanwhile (see `backbone.stale`). One line per row; rows of any app are
    named by their model's label, so `backbone` knows none of them."""

    model = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen = models.CharField(max_length=32)  # the row as they left it (backbone.stale)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="one_last_edit_per_row")
        ]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"


class OrganizationArchive(TenantModel):
    """A zip of every row and file of the organization (`backbone.archive`), built by a job
    for an admin to download. Not itself archived: an archive inside an archive would grow
    with every export."""

    archive_skip = True

    class Status(models.TextChoices):
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    file = models.FileField(upload_to="archives/", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BUILDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.requested_at:%Y-%m-%d %H:%M}"


class AdminTransfer(TenantModel):
    """The admin role handed to another member: offered by an admin, accepted (or
    declined) by the new person, each step kept with its time and the names of both."""

    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_by_name = models.CharField(max_length=300)
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_to_name = models.CharField(max_length=300)
    keep_admin = models.BooleanField(
        _("I stay an admin"),
        default=False,
        help_text=_("Otherwise you become a coordinator once they accept."),
    )
    note = models.TextField(_("a word for them"), blank=True)
    offered_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.offered_by_name} → {self.offered_to_name}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.declined_at is None and self.cancelled_at is None
