"""The child process of test_migrating.py: migrates the database DATABASE_URL names — an empty one, or
first half-way (the first half of the plan, through `stims.core.migrating`) then the rest
with `stims migrate` — and prints the schema's fingerprint as one JSON line."""

import json
import sys


def fingerprint(connection) -> dict:
    """Every model table's columns (name, type, null) and constraints (columns and kind; an index's name
    too, since migrations and models name them alike), as sorted lists: equal for the same schema
    whatever order its columns and indexes were created in. A model without its table maps to None."""
    from django.apps import apps

    found: dict = {}
    with connection.cursor() as cursor:
        introspection = connection.introspection
        tables = set(introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            if not model._meta.managed or model._meta.proxy:
                continue
            table = model._meta.db_table
            if table not in tables:
                found[table] = None
                continue
            columns = sorted(
                [column.name, str(column.type_code), bool(column.null_ok)]
                for column in introspection.get_table_description(cursor, table)
            )
            constraints = sorted(
                json.dumps(
                    [
                        list(c["columns"] or ()),
                        c["primary_key"],
                        c["unique"],
                        list(c["foreign_key"] or ()),
                        bool(c["check"]),
                        c["index"],
                        name if c["index"] and not c["unique"] and not c["primary_key"] else "",
                    ]
                )
                for name, c in introspection.get_constraints(cursor, table).items()
            )
            found[table] = [columns, constraints]
    return found


def stale_classes(apps) -> list[str]:
    """The relations and parents, among the rendered models of a migration state, that point at a class
    the registry no longer holds (a model rendered again without re-rendering what held it)."""
    stale = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.local_fields + model._meta.local_many_to_many:
            if field.is_relation and not isinstance(field.related_model, str):
                target = field.related_model._meta
                if field.related_model is not apps.get_model(target.app_label, target.model_name):
                    stale.append(f"{model._meta.label}.{field.name} -> {target.label}")
        for parent in model._meta.parents:
            if parent is not apps.get_model(parent._meta.app_label, parent._meta.model_name):
                stale.append(f"{model._meta.label} (parent {parent._meta.label})")
    return stale


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from stims.core.migrating import fast_state_reloads

    if sys.argv[1:] == ["half"]:
        executor = MigrationExecutor(connection)
        leaves = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(leaves, clean_start=True)
        with fast_state_reloads():
            executor.migrate(leaves, plan=plan[: len(plan) // 2])
        applied = len(MigrationExecutor(connection).loader.applied_migrations)
        assert 0 < applied < len(executor.loader.graph.nodes), applied
    # The state `migrate` leaves, read before the command renders it again for the post-migrate signal.
    states = []
    django_migrate = MigrationExecutor.migrate

    def kept(self, *args, **kwargs):
        states.append(django_migrate(self, *args, **kwargs))
        return states[-1]

    MigrationExecutor.migrate = kept  # type: ignore[method-assign]
    call_command("migrate", interactive=False, verbosity=0)
    print("STALE " + json.dumps(stale_classes(states[-1].apps)))
    print("FINGERPRINT " + json.dumps(fingerprint(connection)))


if __name__ == "__main__":
    main()
