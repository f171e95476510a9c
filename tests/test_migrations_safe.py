"""Migrations run while the old code still serves (rolling deploys, several web nodes), so
a new one must not lock a busy table for long nor break the running code.

Flagged operations: `AlterField` (a type change rewrites the table under an exclusive
lock), `AddIndex`/`AddConstraint`/an `AddField` with `db_index` or `unique` (a plain
CREATE INDEX blocks writes while it builds: use `AddIndexConcurrently` from
`django.contrib.postgres.operations` in a non-atomic migration), `RemoveField`/
`RenameField`/`RenameModel`/`DeleteModel` (the old code still reads the column: remove
in a later release than the code that stops using it), and `RunPython`/`RunSQL` over
whole tables. An operation on a model created in the same migration is safe (the table
is new and empty). `AddField` with a constant default is safe on PostgreSQL 11+ (no
rewrite), and so is an `AlterField` that changes only what the database never sees
(choices, `on_delete`, help text, validators: Django's `Field.non_db_attrs`).

ALLOWED lists those that existed before this rule: they ran before any production
deployment held data (issue 14 is the first multi-node production), on empty or
demo-sized tables. A new one needs its own line here saying why it is safe (e.g. the
table is small by nature, or it is split across releases)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

OUR_APPS = {"backbone", "stakeholders", "initiatives", "measures", "plans"}
RISKY = (
    migrations.AlterField,
    migrations.AddIndex,
    migrations.AddConstraint,
    migrations.RemoveField,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.DeleteModel,
    migrations.RunPython,
    migrations.RunSQL,
)
BEFORE_PRODUCTION = "before the first production deployment, on empty or demo-sized tables"
LEVEL_HISTORY = (
    "level changes are few by nature (a handful per participant); the new columns are filled "
    "from the participation each row still names, and dropping NOT NULL rewrites nothing"
)
ALLOWED: dict[str, str] = {
    "initiatives.0002_initial: AddConstraint initiativepartner.one_partner_role_per_initiative": BEFORE_PRODUCTION,
    "initiatives.0002_initial: AddField initiativepartner.partner": BEFORE_PRODUCTION,
    "initiatives.0003_readiness_deliverables_governance_risks_funding: AddField initiative.sponsor": BEFORE_PRODUCTION,
    "initiatives.0004_readiness_by_phase_index: AddIndex readinessitem.readiness_by_phase": BEFORE_PRODUCTION,
    "initiatives.0007_past_facts_outlive_deletions: AddField feedbacksurvey.initiative": BEFORE_PRODUCTION,
    "initiatives.0007_past_facts_outlive_deletions: AlterField attendance.contact": BEFORE_PRODUCTION,
    "initiatives.0007_past_facts_outlive_deletions: AlterField feedbacksurvey.commitment": BEFORE_PRODUCTION,
    "initiatives.0007_past_facts_outlive_deletions: AlterField feedbacksurvey.initiative": BEFORE_PRODUCTION,
    "initiatives.0007_past_facts_outlive_deletions: AlterField feedbacksurvey.sent_to": BEFORE_PRODUCTION,
    "initiatives.0007_past_facts_outlive_deletions: RunPython -": BEFORE_PRODUCTION,
    "initiatives.0010_level_history_outlives_participation: AddField levelchange.contact": LEVEL_HISTORY,
    "initiatives.0010_level_history_outlives_participation: AddField levelchange.initiative": LEVEL_HISTORY,
    "initiatives.0010_level_history_outlives_participation: AlterField levelchange.initiative": LEVEL_HISTORY,
    "initiatives.0010_level_history_outlives_participation: AlterField levelchange.participation": LEVEL_HISTORY,
    "initiatives.0010_level_history_outlives_participation: RunPython -": LEVEL_HISTORY,
    "plans.0006_deliveries_outlive_their_contact: AlterField delivery.contact": BEFORE_PRODUCTION,
    "measures.0005_indicator_definition_corrections: AddField indicatordefinition.corrected_by": (
        "an indicator's definitions are few by nature (a version a year at most), so the "
        "new column's index builds in an instant"
    ),
}


def _alters_the_column(loader: MigrationLoader, key: tuple[str, str], op) -> bool:
    """Whether an AlterField changes the column, not only Python-side attributes."""
    before = loader.project_state(key, at_end=False)
    old = before.models[key[0], op.model_name_lower].fields.get(op.name)
    if old is None:  # added earlier in the same migration: judged with that AddField
        return True
    ignored = set(old.non_db_attrs) - {"db_column"}
    _, old_path, old_args, old_kwargs = old.deconstruct()
    _, new_path, new_args, new_kwargs = op.field.deconstruct()
    for attr in ignored:
        old_kwargs.pop(attr, None)
        new_kwargs.pop(attr, None)
    return (old_path, old_args, old_kwargs) != (new_path, new_args, new_kwargs)


def risky_operations() -> list[str]:
    found = []
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app not in OUR_APPS:
            continue
        created = {
            op.name.lower() for op in migration.operations if isinstance(op, migrations.CreateModel)
        }
        for op in migration.operations:
            model = (getattr(op, "model_name", None) or getattr(op, "name", "") or "").lower()
            target = getattr(op, "name", "") if getattr(op, "model_name", None) else ""
            if isinstance(op, migrations.AddIndex | migrations.AddConstraint):
                target = (
                    op.index.name if isinstance(op, migrations.AddIndex) else op.constraint.name
                )
            indexed = isinstance(op, migrations.AddField) and (op.field.db_index or op.field.unique)
            if not (isinstance(op, RISKY) or indexed) or model in created:
                continue
            if isinstance(op, AddIndexConcurrently):  # builds without blocking writes
                continue
            if isinstance(op, migrations.AlterField) and not _alters_the_column(
                loader, (app, name), op
            ):
                continue
            if isinstance(op, migrations.RunPython | migrations.RunSQL):
                model = "-"
            found.append(f"{app}.{name}: {type(op).__name__} {model}.{target}".rstrip("."))
    return sorted(set(found))


def test_no_new_migration_locks_a_table_or_breaks_the_running_code():
    unexplained = [op for op in risky_operations() if op not in ALLOWED]
    assert not unexplained, (
        "These migration operations lock a table or break the code still serving; make "
        "them safe or add them to ALLOWED with the reason:\n" + "\n".join(unexplained)
    )


def test_the_allow_list_names_only_operations_that_exist():
    assert set(ALLOWED) <= set(risky_operations())


def test_an_alter_field_that_changes_only_choices_or_on_delete_is_not_flagged():
    """plans.0009 changes a status's choices and 0007 an on_delete: no SQL, no lock."""
    found = risky_operations()
    assert not any(op.startswith("plans.0009_newsletter_send_failure") for op in found)
    assert (
        "plans.0007_an_action_item_in_a_plan_stays: AlterField strategyaction.action_item"
        not in found
    )
