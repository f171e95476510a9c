from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        # Imported for its side effect: it connects the receiver that links an invited
        # partner user to their partner (backbone's invitation_accepted signal).
        # And the receivers that keep the contacts list's cache true.
        from . import list_cache, services  # noqa: F401
