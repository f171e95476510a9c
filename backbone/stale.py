"""No lost update: an edit form carries what the person saw, and a save over a row that
someone changed meanwhile is refused instead of silently overwriting their work.

The form (`SeenForm`) holds, in a hidden `seen` field, a fingerprint of the row as it was
when the form opened; the service calls `require_unchanged(...)` under a row
lock before writing. The refusal is a ValidationError (code "stale") that carries the
row's new fingerprint: shown on the form (`backbone.forms.add_service_errors`), the
person's input stays in it and the next save, made knowing the other change, goes through.
"""

import hashlib
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LastEdit, Organization

SEEN_FIELD = "seen"
STALE = "stale"


def fingerprint(instance: models.Model, names: Iterable[str]) -> str:
    """A short digest of the stored values of `instance` named `names` (the fields a form
    edits: other names, and fields no form edits, are left out), empty for an unsaved row."""
    if instance.pk is None:
        return ""
    names = set(names)
    values = [
        f"{f.name}={f.value_from_object(instance)!r}"
        for f in instance._meta.concrete_fields
        if f.name in names and f.editable
    ]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


def stale_error(current: models.Model, names: Iterable[str], *, who: str = "") -> ValidationError:
    """The refusal of a save over `current`, changed since the form opened (by `who`)."""
    if who:
        message = _(
            "%(who)s changed this since you opened the form; what you typed is kept here: "
            "look at their change, then save again."
        )
    else:
        message = _(
            "Someone changed this since you opened the form; what you typed is kept here: "
            "look at the change, then save again."
        )
    error = ValidationError(message, code=STALE, params={"who": who})
    error.seen = fingerprint(current, names)
    return error


def last_editor(current: models.Model, names: Iterable[str]) -> str:
    """The name of who last saved `current` through an edit form of the fields `names`,
    when the row is still as they left it (else "": someone or something else changed it
    since, an import or a quick status change, and no name is better than a wrong one)."""
    edit = (
        LastEdit._base_manager.filter(model=current._meta.label_lower, object_id=current.pk)
        .select_related("by")
        .first()
    )
    if edit is None or edit.by is None or edit.seen != fingerprint(current, names):
        return ""
    return edit.by.display_name


def note_editor(instance: models.Model, names: Iterable[str], by) -> None:
    """After a save of `instance` by `by` (a user; None: nobody to name) through a form of
    the fields `names`: remember who left the row as it now is."""
    if instance.pk is None or by is None or not getattr(by, "pk", None):
        return
    # An organization's own settings are a row of that organization.
    organization_id = instance.pk if isinstance(instance, Organization) else None
    LastEdit._base_manager.update_or_create(
        model=instance._meta.label_lower,
        object_id=instance.pk,
        defaults={
            "organization_id": organization_id or instance.organization_id,
            "by": by,
            # As stored (read back: a saved value may differ from what was typed,
            # e.g. a time in another zone), as a later refusal will compare it.
            "seen": fingerprint(type(instance)._base_manager.get(pk=instance.pk), names),
            "at": timezone.now(),
        },
    )


def require_unchanged(
    instance: models.Model, names: Iterable[str], seen: str | None, *, who: str = ""
) -> None:
    """Raise the "stale" ValidationError when `seen` (a form's fingerprint of the fields
    `names`; None or "" when the caller checks nothing) no longer matches `instance`'s row,
    naming `who` changed it (by default, who saved it last, see `note_editor`). Call it
    inside the service's transaction: it locks the row until the write is done."""
    if not seen or instance.pk is None:
        return
    names = list(names)
    current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if fingerprint(current, names) != seen:
        raise stale_error(current, names, who=who or last_editor(current, names))


def refresh_seen(form: forms.BaseForm, exc: ValidationError) -> None:
    """After a "stale" refusal, let the form carry the row's new fingerprint: the person
    saw the other change, so saving again is deliberate."""
    seen = getattr(exc, "seen", None)
    if seen is None or SEEN_FIELD not in form.fields or not form.is_bound:
        return
    form.data = form.data.copy()
    form.data[form.add_prefix(SEEN_FIELD)] = seen


def seen_field() -> forms.CharField:
    """The hidden `seen` field of a plain form (not a SeenForm) that edits a row: its view
    gives the initial, `fingerprint(row, names)`, and its service checks it."""
    return forms.CharField(required=False, widget=forms.HiddenInput)


class SeenForm(forms.ModelForm):
    """A ModelForm whose hidden `seen` field holds the fingerprint of the row it edits."""

    seen = seen_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[SEEN_FIELD].initial = fingerprint(self.instance, self.seen_names())

    def seen_names(self) -> list[str]:
        """The fields the fingerprint covers: the model's fields the form edits."""
        return list(self._meta.fields or self.fields)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:  # a new row: no one else can have changed it
            cleaned.pop(SEEN_FIELD, None)
        return cleaned

    def save(self, commit=True, *, by=None):
        """Save the row when no one changed it since the form opened (for forms saved
        directly, without a service that checks); `by`, the user saving, is remembered."""
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            names = self.seen_names()
            require_unchanged(self.instance, names, self.cleaned_data.get(SEEN_FIELD))
            saved = super().save()
            note_editor(saved, names, by)
            return saved
