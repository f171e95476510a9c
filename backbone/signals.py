"""Signals of the tenancy core, for the apps above it (the core imports none of them)."""

from django.dispatch import Signal

# Sent inside `invitation_accept`'s transaction with `invitation` and `membership`:
# stakeholders links a partner user's membership to the partner the invitation names.
invitation_accepted = Signal()
