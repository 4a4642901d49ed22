from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("saft", "0005_saft_submission_and_deadline")]

    operations = [
        migrations.AddField(
            model_name="saftexport",
            name="said",
            field=models.TextField(blank=True, verbose_name="InvoiceXpress said"),
        ),
    ]
