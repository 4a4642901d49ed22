"""SaftExport.message holds our sentences as codes (msgid + params, translated when shown)
instead of one text. A text written before moves into the new field as a text item, shown
as it was written (it cannot be turned back into a code), except the "generating" note,
which was stored as its bare msgid (or, earlier, its Portuguese translation) and becomes
that sentence again.

The text column is replaced, not altered: PostgreSQL cannot cast free text to jsonb."""

from django.db import migrations, models

# Stored as bare msgids (or their translation) and translated when shown, before sentences.
GENERATING = "InvoiceXpress is generating the file."
KNOWN = {
    GENERATING: GENERATING,
    "O InvoiceXpress está a gerar o ficheiro.": GENERATING,
}


def text_to_sentences(apps, schema_editor):
    SaftExport = apps.get_model("saft", "SaftExport")
    for export in SaftExport.objects.exclude(message="").only("pk", "message").iterator():
        text = export.message
        if text.strip() in KNOWN:
            items = [{"msgid": KNOWN[text.strip()], "params": {}}]
        else:
            items = [{"text": text}]
        SaftExport.objects.filter(pk=export.pk).update(message_items=items)


def sentences_to_text(apps, schema_editor):
    SaftExport = apps.get_model("saft", "SaftExport")
    for export in SaftExport.objects.exclude(message_items=[]).iterator():
        texts = [item.get("text") or item.get("msgid", "") for item in export.message_items]
        SaftExport.objects.filter(pk=export.pk).update(message=" ".join(texts))


class Migration(migrations.Migration):
    dependencies = [("saft", "0006_saftexport_said")]

    operations = [
        migrations.AddField(
            model_name="saftexport",
            name="message_items",
            field=models.JSONField(blank=True, default=list, verbose_name="message"),
        ),
        migrations.RunPython(text_to_sentences, sentences_to_text),
        migrations.RemoveField(model_name="saftexport", name="message"),
        migrations.RenameField(
            model_name="saftexport", old_name="message_items", new_name="message"
        ),
    ]
