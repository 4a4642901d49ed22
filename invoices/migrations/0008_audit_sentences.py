"""The audit log stores our sentences as codes with parameters (translated when shown) and
keeps `detail` for InvoiceXpress's own words. Entries written before hold one free text in
`detail`, in whatever language its writer had: it moves into `sentences` as a text item,
shown as it was written (it cannot be translated back into a code)."""

from django.db import migrations, models


def detail_to_sentences(apps, schema_editor):
    AuditEntry = apps.get_model("invoices", "AuditEntry")
    # The historical model has the plain manager: the append-only guard is not in the way
    # of this one-time move.
    for entry in AuditEntry.objects.exclude(detail="").only("pk", "detail").iterator():
        AuditEntry.objects.filter(pk=entry.pk).update(
            sentences=[{"text": entry.detail}], detail=""
        )


def sentences_to_detail(apps, schema_editor):
    AuditEntry = apps.get_model("invoices", "AuditEntry")
    for entry in AuditEntry.objects.exclude(sentences=[]).iterator():
        texts = [item.get("text") or item.get("msgid", "") for item in entry.sentences]
        said = [entry.detail] if entry.detail else []
        AuditEntry.objects.filter(pk=entry.pk).update(detail=" ".join(texts + said))


class Migration(migrations.Migration):
    dependencies = [("invoices", "0007_job_bulk_kinds")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="sentences",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(detail_to_sentences, sentences_to_detail),
    ]
