"""Register a payment on an invoice; cancel one of its receipts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices.forms import LooseDecimalField, StyledForm, choice_field, plausible_year
from invoices.models.payments import PAYMENT_MECHANISMS


class PaymentForm(StyledForm):
    token = forms.UUIDField(widget=forms.HiddenInput)
    amount = LooseDecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        error_messages={"max_decimal_places": _("Enter the amount in euros and cents.")},
    )
    payment_date = forms.DateField(
        label=_("Payment date"),
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Enter the date as dd/mm/yyyy.")},
        validators=[plausible_year],
    )
    mechanism = forms.ChoiceField(label=_("Method"), choices=PAYMENT_MECHANISMS, initial="TB")
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    serie = forms.ChoiceField(label=_("Receipt series"), required=False)

    def __init__(self, *args: Any, pending: Decimal, series: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = pending
        choice_field(self, "serie").choices = [("", _("Default series"))] + [(s, s) for s in series]
        self.fields["amount"].initial = pending
        self.fields["payment_date"].initial = timezone.localdate()

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount > self.pending:
            raise forms.ValidationError(
                _("The invoice has only %(pending)s € left to pay.")
                % {"pending": f"{self.pending:.2f}".replace(".", ",")}
            )
        return amount

    def clean_payment_date(self):
        day = self.cleaned_data["payment_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A payment cannot be dated in the future."))
        return day


class ReceiptCancelForm(StyledForm):
    compact = True
    reason = forms.CharField(label=_("Reason for canceling"), max_length=200, strip=True)
