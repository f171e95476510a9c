from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # Connects the receivers that keep an initiative's overview figures true.
        from . import figures_cache  # noqa: F401
