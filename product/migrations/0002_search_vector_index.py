"""GIN index on Product.search_vector, on PostgreSQL only (SQLite searches the plain document)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS product_search_vector_gin "
            "ON product_product USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS product_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("product", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
