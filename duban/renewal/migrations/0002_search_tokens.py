"""Mediation cases are searched as ledger items are (duban.core.search; decision 0009): by their
number and the names of their project and parties, kept on the case; the list's order has an index."""

from django.db import migrations, models

from duban.core import search


def write_names(apps, schema_editor):
    MediationCase = apps.get_model("renewal", "MediationCase")
    Party = apps.get_model("renewal", "Party")
    parties: dict[int, list[str]] = {}
    for case_id, name, label in Party.objects.order_by("pk").values_list("case_id", "name", "household__label"):
        parties.setdefault(case_id, []).append(f"{name} {label}" if label else name)
    cases = list(MediationCase.objects.select_related("project").only("project__name"))
    for case in cases:
        case.names = "\n".join([case.project.name, *parties.get(case.pk, [])])
    MediationCase.objects.bulk_update(cases, ["names"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("renewal", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="mediationcase",
            name="names",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(write_names, migrations.RunPython.noop, elidable=True),
        *search.searchable_operations("renewal", "MediationCase", ["number", "names"], longest=3),
        migrations.AddIndex(
            model_name="mediationcase",
            index=models.Index(fields=["applied_at", "id"], name="renewal_case_applied"),
        ),
    ]
