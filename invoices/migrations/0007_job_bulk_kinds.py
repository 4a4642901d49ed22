from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('invoices', '0006_job_saft_kinds'),
    ]

    operations = [
        migrations.AlterField(
            model_name='job',
            name='kind',
            field=models.CharField(choices=[('bulk_finalize', 'Finalize drafts'), ('saft_validate', 'Validate a SAF-T'), ('saft_pack', "Accountant's pack"), ('bulk_pdf', 'PDFs as one zip'), ('bulk_email', 'E-mail documents to their clients')], max_length=32),
        ),
    ]
