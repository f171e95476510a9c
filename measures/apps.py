from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Shared measurement")

    def ready(self):
        # Connect the receivers that keep the dashboard's kept cards true (models are
        # loaded only once the registry is ready).
        from . import chart_cache, panel_cache  # noqa: F401
