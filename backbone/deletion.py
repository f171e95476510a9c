"""What deleting a row takes with it, read from the models' own `on_delete` rules, so a
deletion page says exactly what goes, what stays and what stands in the way — and can't
drift from what the database will do.

Rule (issue 11): facts about the past (deliveries, attendance, answers, approvals,
transitions) outlive who or what they were about — `PROTECT`, or `SET_NULL` with a kept
display name. `CASCADE` is for what belongs to the row itself.
"""

from dataclasses import dataclass, field

from django.db import connection, models
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


def _counts(obj: models.Model, relations: list) -> list[int]:
    """How many rows of each relation point at `obj`, in one query."""
    if not relations:
        return []
    quote = connection.ops.quote_name
    parts, params = [], []
    for relation in relations:
        field = relation.field
        table, column = quote(relation.related_model._meta.db_table), quote(field.column)
        # Names from the models' meta, quoted; the value is a parameter.
        parts.append(f"(SELECT COUNT(*) FROM {table} WHERE {column} = %s)")  # noqa: S608
        params.append(getattr(obj, field.target_field.attname))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())


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
    # One query: a COUNT subquery per relation, written from the models' own tables and
    # columns (the ORM's subqueries cost more to build than the counts take to run).
    counts = _counts(obj, reverse)
    for relation, count in zip(reverse, counts, strict=True):
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
