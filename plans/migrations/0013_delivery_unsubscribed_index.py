from django.db import migrations, models

from backbone.migration_operations import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("plans", "0012_handover_reports"),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("unsubscribed_at__isnull", False)),
                fields=["newsletter"],
                name="delivery_unsubscribed",
            ),
        ),
    ]
