from django import forms
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackboneConfig(AppConfig):
    name = "backbone"
    verbose_name = _("Backbone core")

    def ready(self):
        # Imported for its Celery signal handlers (request ids into jobs, one log line per
        # job); it must run in workers too, where no middleware is loaded.
        # Imported for its model signal handlers (the switcher's cache follows memberships).
        from . import (
            observability,  # noqa: F401
            switcher,  # noqa: F401
        )

        # A form's choices read in one query, with no server-side cursor (see there).
        from .form_renderer import ModelChoiceIterator

        forms.ModelChoiceField.iterator = ModelChoiceIterator
        forms.ModelMultipleChoiceField.iterator = ModelChoiceIterator


class BackboneAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: superusers with two-factor, allauth's sign-in."""

    default = False  # BackboneConfig stays this module's default app config
    default_site = "backbone.admin_site.BackboneAdminSite"
