from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # Connects the receivers that keep an initiative's overview figures true,
        # and those that keep its lists (the overview, the list, the actions due) and the
        # empty add forms of its pages.
        from . import figures_cache, form_cache, list_cache  # noqa: F401
