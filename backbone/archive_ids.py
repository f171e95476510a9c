"""Numbers that name rows without a foreign key, for the organization archive.

Two declarations on a model say where they are, so that `backbone.archive` stays generic:

- `archive_ids = {"partner_id": "stakeholders.partner"}`: a plain number field;
- `archive_json_ids = {"rows": {"[].contact_id": "stakeholders.contact"}}`: ids inside a
  JSON field, by path. A path is keys joined by dots; `[]` after a key (or alone) means
  every element of that list: `"[].clean.partner_id"` (the `partner_id` of the `clean` of
  every element), `"kwargs.respondent_ids[]"` (every number of that list). A field that
  holds no ids is declared with an empty map (`{"snapshot": {}}`): every JSON field of an
  archived model is declared, `tests/backbone/test_archive.py` checks it.

An id is renamed by a function giving the row's new id, or None when the row is not in the
archive: a plain number or a key is then cleared (None), a number in a list of ids is
dropped. A missing key, or a value of another shape than the path says, is left alone.
"""

from collections.abc import Callable

from django.db import models

from .models import LastEdit, Organization

EACH = object()  # a step of a path: every element of a list


def plain_ids(model) -> dict[str, str]:
    """A model's plain-number fields that name rows of another model: name -> its label."""
    return {k: v.lower() for k, v in getattr(model, "archive_ids", {}).items()}


def json_ids(model, *, also: dict | None = None) -> dict[str, dict[str, str]]:
    """A model's JSON fields that hold ids: field name -> {path: label} (non-empty only);
    with the paths of `also` (an archive's schema), so that neither an older archive nor
    one saying less than the model leaves an id unmapped."""
    found: dict[str, dict[str, str]] = {}
    for declared in (getattr(model, "archive_json_ids", {}), also or {}):
        for name, paths in declared.items():
            if paths and name in json_fields(model):
                found.setdefault(name, {}).update({p: label.lower() for p, label in paths.items()})
    return found


def json_fields(model) -> list[str]:
    """The names of a model's JSON fields."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]


def _steps(path: str) -> list:
    steps: list = []
    for part in path.split("."):
        name = part.removesuffix("[]")
        if name:
            steps.append(name)
        if part.endswith("[]"):
            steps.append(EACH)
    return steps


def _renamed(value, steps: list, rename: Callable[[object], int | None]):
    if not steps:
        return None if value is None else rename(value)
    step, rest = steps[0], steps[1:]
    if step is EACH:
        if not isinstance(value, list):
            return value
        if rest:
            return [_renamed(item, rest, rename) for item in value]
        return [new for new in (rename(item) for item in value) if new is not None]
    if isinstance(value, dict) and step in value:
        return {**value, step: _renamed(value[step], rest, rename)}
    return value


def json_renamed(value, paths: dict[str, str], rename: Callable[[str, object], int | None]):
    """`value` (a JSON field's content) with the id at each of `paths` (path -> label)
    replaced by `rename(label, id)`; the value itself is not changed."""
    for path, label in paths.items():
        value = _renamed(value, _steps(path), lambda old, label=label: rename(label, old))
    return value


def id_renamer(ids: dict[str, dict[int, int]]) -> Callable[[str, object], int | None]:
    """`rename(label, old)` for `json_renamed`: the new id of row `old` of `label` in `ids`
    (old id -> new id by label); None for a row that is not there, or not a number."""

    def rename(label: str, old) -> int | None:
        if isinstance(old, bool) or not isinstance(old, int):
            return None
        return ids.get(label, {}).get(old)

    return rename


def ids_remap(archived, organization, new_ids, declared: dict[str, dict]) -> None:
    """After an import: give plain-number references (`archive_ids`, `LastEdit`) and ids
    inside JSON fields (`declared`: label -> field -> {path: label}) the rows' new ids
    (`new_ids`: label -> old id -> new id). A number naming a row that is not in the
    archive is cleared (or its line dropped): it never names some other row here."""
    for entry in archived:
        if not entry.owner_field:
            continue
        for name, label in plain_ids(entry.model).items():
            mapping = new_ids.get(label, {})
            rows = entry.model._base_manager.filter(**{entry.owner_field: organization})
            for pk, old in rows.exclude(**{f"{name}__isnull": True}).values_list("pk", name):
                rows.filter(pk=pk).update(**{name: mapping.get(old)})
    rename = id_renamer(new_ids)
    for entry in archived:
        fields = declared.get(entry.label) or {}
        if not fields:
            continue
        manager = entry.model._base_manager
        changed = []
        for obj in manager.filter(pk__in=new_ids[entry.label].values()).only("pk", *fields):
            for name, paths in fields.items():
                setattr(obj, name, json_renamed(getattr(obj, name), paths, rename))
            changed.append(obj)
        manager.bulk_update(changed, list(fields), batch_size=500)
    _last_edits_remap(organization, new_ids)


def _last_edits_remap(organization, new_ids) -> None:
    # Rewritten whole: remapping one line at a time could meet another's old id.
    edits = list(LastEdit._base_manager.filter(organization=organization).order_by("pk"))
    LastEdit._base_manager.filter(organization=organization).delete()
    kept = []
    for edit in edits:
        if edit.model == Organization._meta.label_lower:
            edit.object_id = organization.pk
        elif edit.object_id in new_ids.get(edit.model, {}):
            edit.object_id = new_ids[edit.model][edit.object_id]
        else:
            continue
        edit.pk = None
        kept.append(edit)
    LastEdit._base_manager.bulk_create(kept)
