"""The items' search tokens gain the triples of adjacent characters (duban.core.search; decision 0009):
a query of three characters or more is narrowed by its triples, far rarer than its pairs."""

from django.db import migrations

from duban.core import search


def refill_search_tokens(apps, schema_editor):
    Item = apps.get_model("ledger", "Item")
    batch = []
    for item in Item.objects.only("number", "title", "basis_document").order_by("pk").iterator(chunk_size=2000):
        item.search_tokens = search.tokens(item.number, item.title, item.basis_document)
        batch.append(item)
        if len(batch) == 2000:
            Item.objects.bulk_update(batch, ["search_tokens"])
            batch = []
    Item.objects.bulk_update(batch, ["search_tokens"])


class Migration(migrations.Migration):
    dependencies = [("ledger", "0014_sweeprun_parts_sweeppart")]

    operations = [migrations.RunPython(refill_search_tokens, migrations.RunPython.noop, elidable=True)]
