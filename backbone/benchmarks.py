"""What the benchmark commands share."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is undone when the block ends, so a benchmark leaves the database
    as it found it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
