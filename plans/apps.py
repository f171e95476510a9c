from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans and report cards")

    def ready(self) -> None:
        # Connects the receivers that keep the public scorecard's cache true.
        from . import signals  # noqa: F401
