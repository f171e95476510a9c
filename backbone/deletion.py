"""What deleting a row takes with it, read from the models' own `on_delete` rules, so a
deletion page says exactly what goes, what stays and what stands in the way — and can't
drift from what the database will do.

Rule (issue 11): facts about the past (deliveries, attendance, answers, approvals,
transitions) outlive who or what they were about — `PROTECT`, or `SET_NULL` with a kept
display name. `CASCADE` is for what belongs to the row itself.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, Func, Subquery
from django.http import HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Consequence:
    count: int
    label: str

    def __str__(self) -> str:
        return f"{self.count} {self.label}"


@dataclass
class Consequences:
    goes: list[Consequence] = field(default_factory=list)
    stays: list[Consequence] = field(default_factory=list)
    blocks: list[Consequence] = field(default_factory=list)


def _label(model: type[models.Model], count: int) -> str:
    meta = model._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


def deletion_consequences(obj: models.Model) -> Consequences:
    """The rows that point at `obj`, sorted by what deleting `obj` does to them."""
    found = Consequences()
    reverse = [
        f
        for f in obj._meta.get_fields(include_hidden=True)
        if f.auto_created
        and not f.concrete
        and (f.one_to_many or f.one_to_one)
        # A many-to-many link table (a contact's tags) goes silently with the row.
        and not f.related_model._meta.auto_created
    ]
    # One query: a COUNT subquery per relation, annotated on the row itself.
    counts = (
        type(obj)
        ._base_manager.filter(pk=obj.pk)
        .values("pk")
        .annotate(
            **{
                f"n{index}": Subquery(
                    relation.related_model._base_manager.filter(**{relation.field.name: obj})
                    .order_by()
                    .annotate(n=Func(F("pk"), function="COUNT"))
                    .values("n")
                )
                for index, relation in enumerate(reverse)
            }
        )
        .first()
        if reverse
        else None
    ) or {}
    for index, relation in enumerate(reverse):
        count = counts.get(f"n{index}") or 0
        if not count:
            continue
        item = Consequence(count, _label(relation.related_model, count))
        if relation.on_delete is models.CASCADE:
            found.goes.append(item)
        elif relation.on_delete is models.PROTECT:
            found.blocks.append(item)
        else:
            found.stays.append(item)
    return found


def confirm_page(
    request,
    *,
    title: str,
    lead: str,
    button: str,
    cancel_url: str,
    consequences: Consequences | None = None,
    **extra,
) -> HttpResponse:
    """The GET of an irreversible action: what it will do, with a button that POSTs it."""
    context = {
        "title": title,
        "lead": lead,
        "button": button,
        "cancel_url": cancel_url,
        "consequences": consequences or Consequences(),
        **extra,
    }
    return render(request, "confirm.html", context)
