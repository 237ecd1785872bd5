"""The registry's search reads every rule's full text (docs/performance.md): on PostgreSQL the
texts are compressed with lz4, which decompresses about twice as fast as the default pglz. Rows
written before keep their compression until they next change."""

from django.db import migrations

LZ4_AVAILABLE = "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"


def compress_texts_with_lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(LZ4_AVAILABLE)
        if cursor.fetchone() is None:  # a server built without lz4 keeps pglz
            return
    schema_editor.execute("ALTER TABLE rules_rule ALTER COLUMN text SET COMPRESSION lz4")


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_search_by_scanning")]

    operations = [migrations.RunPython(compress_texts_with_lz4, migrations.RunPython.noop, elidable=True)]
