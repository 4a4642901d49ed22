from django.db import migrations, models
from django.db.models import F


def start_pending_clocks(apps, schema_editor):
    # A pending export already asked about was first asked when it was requested (the
    # request view asks at once), so its maximum wait keeps counting from there.
    SaftExport = apps.get_model("saft", "SaftExport")
    SaftExport.objects.filter(status="pending", attempts__gt=0).update(
        first_checked_at=F("requested_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("saft", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="saftexport",
            name="first_checked_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="first checked upstream"
            ),
        ),
        migrations.RunPython(start_pending_clocks, migrations.RunPython.noop),
    ]
