"""Signals the measures app sends for writes that skip `save()` (bulk updates), so a
higher app that shows approved data (the public scorecard) hears of them too."""

from django.dispatch import Signal

# Sent after approving or returning values in bulk: `indicator_ids` (a set of ids).
data_points_decided = Signal()
