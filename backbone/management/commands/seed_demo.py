from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from backbone.demo import DemoWorld


class Command(BaseCommand):
    help = "Create the demo organizations, people and data (idempotent: safe to run again)."

    def handle(self, *args, **options):
        world = DemoWorld()
        with scopes_disabled(), transaction.atomic():
            # Each app seeds its own demo data, in dependency order; backbone
            # finds them by convention and so imports no domain app.
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                if hasattr(module, "seed"):
                    module.seed(world)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        for line in world.lines:
            self.stdout.write(line)
