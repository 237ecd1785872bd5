"""Results are searched as ledger items are (duban.core.search; decision 0009): the characters and
pairs of their title, abstract and text."""

from django.db import migrations, models

from duban.core import search


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="result",
            name="search_tokens",
            field=models.TextField(default="", editable=False),
        ),
        search.tokens_operation("research", "Result", ["title", "abstract", "text"], longest=2),
        search.index_operation("research_result"),
    ]
