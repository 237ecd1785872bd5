"""Problem reports are searched as ledger items are (duban.core.search; decision 0009): the
characters and pairs of their description, narrowed by an index when few reports match and found
by walking the queue when many do."""

from django.db import migrations, models

from duban.core import search


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0007_report_campaigns_report_closed")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="search_tokens",
            field=models.TextField(default="", editable=False),
        ),
        search.tokens_operation("campaigns", "Report", ["description"], longest=2),
        search.index_operation("campaigns_report"),
    ]
