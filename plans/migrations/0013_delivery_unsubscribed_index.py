from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexWithoutBlocking(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL (deliveries go on being written while it
    builds); a plain index elsewhere (the embedded SQLite run has no such option)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(
            self, app_label, schema_editor, from_state, to_state
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(
            self, app_label, schema_editor, from_state, to_state
        )


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
