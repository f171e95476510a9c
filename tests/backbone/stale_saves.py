"""The one check every edit form of shared text or numbers passes: two people open it,
the first saves, the second's save is refused naming the first, nothing is overwritten,
the second person's input stays in the form, and saving again, knowingly, goes through."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.html import escape
from django_scopes import scope


@dataclass
class EditCase:
    row: models.Model
    page: str  # where the form is shown
    action: str  # where it posts
    name: str  # the field both people change
    theirs: Any
    mine: Any
    fields: dict[str, Any] = field(default_factory=dict)  # the rest of the form, unchanged
    prefix: str = ""  # the form's prefix, with its dash
    stored: Callable[[models.Model], Any] | None = None  # how to read `name` back
    me: Any = None  # the second person (a user); the world's coordinator by default

    def value(self, world) -> Any:
        with scope(organization=world.org):
            self.row.refresh_from_db()
        return self.stored(self.row) if self.stored else getattr(self.row, self.name)

    def seen_in(self, page: str) -> str:
        return re.search(rf'name="{self.prefix}seen" value="([0-9a-f]*)"', page).group(1)

    def post(self, client, value, seen):
        data = {f"{self.prefix}{k}": v for k, v in {**self.fields, self.name: value}.items()}
        return client.post(self.action, {**data, f"{self.prefix}seen": seen})

    def shows_typed(self, page: str) -> bool:
        """Whether the page shows `mine` in the field: as a textarea's text or a value."""
        name, typed = re.escape(f"{self.prefix}{self.name}"), re.escape(escape(str(self.mine)))
        return bool(
            re.search(rf'name="{name}"[^>]*>\s*{typed}</textarea>', page)
            or re.search(rf'<input[^>]*name="{name}"[^>]*value="{typed}"', page)
            or re.search(rf'<input[^>]*value="{typed}"[^>]*name="{name}"', page)
        )


def check_stale_save_refused(world, login, case: EditCase) -> None:
    mine, theirs = login(case.me or world.coordinator), login(world.admin)
    opened = mine.get(case.page)
    assert opened.status_code == 200
    my_seen = case.seen_in(opened.content.decode())
    their_seen = case.seen_in(theirs.get(case.page).content.decode())
    assert not case.shows_typed(opened.content.decode())
    saved = case.post(theirs, case.theirs, their_seen)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert case.value(world) == case.theirs

    response = case.post(mine, case.mine, my_seen)

    assert response.status_code == 422
    page = response.content.decode()
    assert "changed this since you opened the form" in page
    assert escape(world.admin.display_name) in page  # says who
    assert case.shows_typed(page)  # what I typed is still in the form
    assert case.value(world) == case.theirs  # nothing overwritten
    # Having seen the change, saving again is deliberate and goes through.
    assert case.post(mine, case.mine, case.seen_in(page)).status_code == 302
    assert case.value(world) == case.mine
