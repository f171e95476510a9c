from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # Connects the receivers that keep an initiative's overview figures true,
        # And those that keep its lists (the overview, the list, the actions due).
        from . import figures_cache, list_cache  # noqa: F401
