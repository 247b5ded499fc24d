"""Plans keep half of each page free on PostgreSQL (was a fifth, migration 0006).

Every plan is updated once when its visit is verified (``carers_arrived``, ``missed``). That
update is HOT (no entry in any of the plans' six indexes) only if the new row version fits
on the old row's page. With a fifth free only about a quarter of a million plans' updates
fitted (246,176 of 1,000,048 in the visits benchmark): the rest moved to new pages and wrote
six index entries each, 13.4 s of the import. With half free every one fits: 2.5 s. Pages
already written keep their fill until rewritten; new plans, made each period, take this.
"""

from django.db import migrations


def _half_free(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE delivery_plannedvisit SET (fillfactor = 50)")


def _a_fifth_free(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE delivery_plannedvisit SET (fillfactor = 80)")


class Migration(migrations.Migration):
    dependencies = [("delivery", "0007_planned_periods")]

    operations = [migrations.RunPython(_half_free, _a_fifth_free, elidable=False)]
