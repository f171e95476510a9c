from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans and report cards")

    def ready(self) -> None:
        # Connects the receivers that keep the public scorecard's cache true,
        # those that keep each member's home true (plans.home_cache) and the plan pages'
        # (plans.page_cache).
        from . import home_cache, page_cache, signals  # noqa: F401
