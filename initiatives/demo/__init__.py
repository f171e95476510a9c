"""The initiatives app's demo data, one module per noun; `seed(world)` runs them in order."""

from .initiative import seed

__all__ = ["seed"]
