"""A submission's, payment's and e-mail's message is stored as our sentences, codes with
parameters translated when shown (`sentences`), with InvoiceXpress's own words apart
(`said`, shown quoted). A message written before is one free text in whatever language its
writer had: it moves into `sentences` as a text item, shown as it was written (it cannot be
turned back into a code).

A new field and a move, then the old one removed: PostgreSQL cannot cast free text to jsonb,
so the text column is never altered into the JSON one.
"""

from django.db import migrations, models

MODELS = ("Submission", "Payment", "SentEmail")


def messages_to_sentences(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("invoices", name)
        for row in model.objects.exclude(message="").only("pk", "message").iterator():
            model.objects.filter(pk=row.pk).update(sentences=[{"text": row.message}])


def sentences_to_messages(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("invoices", name)
        rows = model.objects.exclude(sentences=[], said="").only("pk", "sentences", "said")
        for row in rows.iterator():
            texts = [item.get("text") or item.get("msgid", "") for item in row.sentences or ()]
            said = [row.said] if row.said else []
            model.objects.filter(pk=row.pk).update(message=" ".join(texts + said))


def _new_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="sentences",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name=model_name,
            name="said",
            field=models.TextField(blank=True),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("invoices", "0008_audit_sentences")]

    operations = [
        *_new_fields("submission"),
        *_new_fields("payment"),
        *_new_fields("sentemail"),
        migrations.RunPython(messages_to_sentences, sentences_to_messages),
        migrations.RemoveField(model_name="submission", name="message"),
        migrations.RemoveField(model_name="payment", name="message"),
        migrations.RemoveField(model_name="sentemail", name="message"),
    ]
