"""A job item's message holds our sentences as codes (msgid + params, translated when
shown) instead of one text, and InvoiceXpress's own words move to `said` (quoted, never
translated). A text written before moves into the new field as a text item, shown as it
was written (it cannot be turned back into a code).

The text column is replaced, not altered: PostgreSQL cannot cast free text to jsonb."""

from django.db import migrations, models


def text_to_sentences(apps, schema_editor):
    JobItem = apps.get_model("invoices", "JobItem")
    for item in JobItem.objects.exclude(message="").only("pk", "message").iterator():
        JobItem.objects.filter(pk=item.pk).update(message_items=[{"text": item.message}])


def sentences_to_text(apps, schema_editor):
    JobItem = apps.get_model("invoices", "JobItem")
    for item in JobItem.objects.exclude(message_items=[]).iterator():
        texts = [entry.get("text") or entry.get("msgid", "") for entry in item.message_items]
        said = [item.said] if item.said else []
        JobItem.objects.filter(pk=item.pk).update(message=" ".join(texts + said))


class Migration(migrations.Migration):
    dependencies = [("invoices", "0009_messages_as_sentences")]

    operations = [
        migrations.AddField(
            model_name="jobitem",
            name="message_items",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="jobitem",
            name="said",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(text_to_sentences, sentences_to_text),
        migrations.RemoveField(model_name="jobitem", name="message"),
        migrations.RenameField(model_name="jobitem", old_name="message_items", new_name="message"),
    ]
