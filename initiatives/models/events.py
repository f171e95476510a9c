"""Engagement events of an initiative and who came to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Contact

from .initiative import InInitiative, Initiative


class EventKind(models.TextChoices):
    COMMUNITY_CONVERSATION = "community_conversation", _("Community conversation")
    LEARNING_EVENT = "learning_event", _("Learning event")
    KITCHEN_TABLE = "kitchen_table", _("Kitchen-table event")
    TOUR = "tour", _("Tour")
    BIG_EVENT = "big_event", _("Big event")


class EngagementEvent(InInitiative, TenantModel):
    """A gathering that builds community will: who came is its attendance."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Listed (title, kind, time and place; never notes or attendance) on the initiative's
    # public scorecard and its public calendar while the scorecard is published.
    public = models.BooleanField(
        _("public event"),
        default=False,
        help_text=_("Show it on the initiative's public scorecard and public calendar."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(TenantModel):
    # PROTECT: who came to an event is part of the record; the event stays with it.
    event = models.ForeignKey(EngagementEvent, on_delete=models.PROTECT, related_name="attendances")
    # Who came stays a fact when the person is deleted from the registry: the row keeps
    # their name, and the event's attendance stays what it was.
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=201, blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contact__last_name", "contact__first_name", "id"]
        verbose_name = _("event attendance")
        verbose_name_plural = _("event attendances")
        constraints = [
            models.UniqueConstraint(fields=["event", "contact"], name="attended_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.person_name} @ {self.event}"

    @property
    def person_name(self) -> str:
        return self.contact.full_name if self.contact_id else self.name

    @property
    def read_only_reason(self) -> str:
        return self.event.read_only_reason
