"""Problem reports are searched as ledger items are (duban.core.search; decision 0009): the
characters and pairs of their description, narrowed by an index when few reports match and found
by walking the queue when many do."""

from django.db import migrations

from duban.core import search


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0007_report_campaigns_report_closed")]

    operations = search.searchable_operations("campaigns", "Report", ["description"], longest=2)
