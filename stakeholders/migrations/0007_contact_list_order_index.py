from django.db import migrations, models

from backbone.migration_operations import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("backbone", "0012_notification_kinds_of_this_round"),
        ("stakeholders", "0006_partner_capacity_assessment"),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="contact",
            index=models.Index(
                fields=["organization", "last_name", "first_name", "id"], name="contact_list_order"
            ),
        ),
    ]
