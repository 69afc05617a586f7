"""The directory's order as one indexed column (Member.directory_key), filled for every
seat already there."""

from django.db import migrations, models


def fill(apps, schema_editor):
    # Historical models have no sort_key(): the same string, spelled out.
    Member = apps.get_model("core", "Member")
    seats = Member.objects.select_related("user", "body", "sector").order_by("pk")
    batch = []
    for seat in seats.iterator(chunk_size=2000):
        seat.directory_key = (f"{seat.body.order:010d}{seat.sector.order:010d}"
                              f"{seat.user.full_name}")[:80]
        batch.append(seat)
        if len(batch) == 2000:
            Member.objects.bulk_update(batch, ["directory_key"])
            batch = []
    Member.objects.bulk_update(batch, ["directory_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_exports"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="directory_key",
            field=models.CharField(blank=True, editable=False, max_length=80,
                                   verbose_name="名录排序"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["body", "directory_key", "id"],
                               name="member_directory"),
        ),
    ]
