"""Rules are searched as ledger items are (duban.core.search; decision 0009): the characters and pairs
of their title, document number and text, narrowed by an index when few rules match and found by
walking the list when many do."""

from django.db import migrations

from duban.core import search


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_constraint_messages")]

    operations = search.searchable_operations("rules", "Rule", ["title", "document_number", "text"], longest=2)
