"""Results are searched as ledger items are (duban.core.search; decision 0009): the characters and
pairs of their title, abstract and text."""

from django.db import migrations

from duban.core import search


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = search.searchable_operations("research", "Result", ["title", "abstract", "text"], longest=2)
