"""The document list's filters: every filter of `GET /invoices.json`, read from the query string."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices.formatting import status_label
from invoices.forms import LooseDecimalField, PtDateField
from invoices.invoicexpress.document_types import (
    DOCUMENT_TYPES,
    NUMBER_RE,
    STATUSES,
    document_type,
)

PER_PAGE_CHOICES = (10, 20, 30, 50, 100)  # 100: the largest page InvoiceXpress serves
DEFAULT_PER_PAGE = 30
MAX_PAGE = 100_000  # far beyond any real account; keeps a typed ?page= from overflowing

# The order the list endpoint's documentation gives.
TYPE_NAMES = (
    "Invoice",
    "InvoiceReceipt",
    "SimplifiedInvoice",
    "VatMossInvoice",
    "CreditNote",
    "DebitNote",
    "Receipt",
    "CashInvoice",
    "VatMossReceipt",
    "VatMossCreditNote",
)
# "FT" -> ("Invoice", "VatMossInvoice"): the list's types printed with each code.
TYPES_BY_CODE: dict[str, tuple[str, ...]] = {
    code: tuple(name for name in TYPE_NAMES if document_type(name).code == code)
    for code in dict.fromkeys(kind.code for kind in DOCUMENT_TYPES)
}
# A number as the list shows it: "FT 2026/33", "ft A/28", or typed without the space
# ("FT2026/33"). InvoiceXpress's text search
# only matches "2026/33", so the code becomes a type filter. The rest must hold a digit,
# so a client search such as "NC Software" stays a plain text search.
_NUMBER_RE = NUMBER_RE
# The "overdue" filter in the service's terms: an issued, unpaid receivable past its due date
# (records.Document.is_overdue). The list endpoint has no "overdue" parameter, so it becomes
# these types, these statuses and "due before today".
RECEIVABLE_TYPES = tuple(name for name in TYPE_NAMES if document_type(name).receivable)
UNPAID_STATUSES = ("final", "sent")


class Archive:
    """The archive filter: the API's two booleans, as one choice people understand."""

    ANY = ""
    NON_ARCHIVED = "non_archived"
    ARCHIVED = "archived"

    CHOICES = (
        (ANY, _("Archived or not")),
        (NON_ARCHIVED, _("Not archived")),
        (ARCHIVED, _("Archived only")),
    )
    # What each choice sends as (archived, non_archived).
    PARAMS: dict[str, tuple[bool | None, bool | None]] = {
        ANY: (None, None),
        NON_ARCHIVED: (False, True),
        ARCHIVED: (True, False),
    }


def split_document_number(text: str, chosen: list[str]) -> tuple[str, list[str]]:
    """("FT 2026/33", []) -> ("2026/33", ["Invoice", "VatMossInvoice"]).

    Types the user chose narrow the code's types further. When none of them carries that
    code, the text goes upstream unchanged: a type filter left empty would mean every type,
    while the raw number matches nothing, which is the honest answer.
    """
    match = _NUMBER_RE.fullmatch(text)
    if match is None or match["code"].upper() not in TYPES_BY_CODE:
        return text, chosen
    types = list(TYPES_BY_CODE[match["code"].upper()])
    if chosen:
        types = [name for name in chosen if name in types]
        if not types:
            return text, chosen
    return match["rest"], types


class DocumentFilterForm(forms.Form):
    """Built over request.GET. `upstream_filters()` gives `list_documents()` its keywords."""

    text = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Number, client, item...")}
        ),
    )
    type = forms.MultipleChoiceField(
        label=_("Document type"),
        required=False,
        choices=[(name, document_type(name).label) for name in TYPE_NAMES],
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=[(status, status_label(status)) for status in STATUSES],
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = PtDateField(label=_("Date from"), required=False)
    date_to = PtDateField(label=_("Date to"), required=False)
    due_date_from = PtDateField(label=_("Due date from"), required=False)
    due_date_to = PtDateField(label=_("Due date to"), required=False)
    total_from = LooseDecimalField(
        label=_("Before taxes from"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
    )
    total_to = LooseDecimalField(
        label=_("Before taxes to"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
    )
    archived = forms.ChoiceField(
        label=_("Archive"), required=False, choices=Archive.CHOICES, initial=Archive.ANY
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100, strip=True)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        # django-stubs types empty_value as `str | None`; Django returns it as given, uncoerced.
        empty_value=DEFAULT_PER_PAGE,  # type: ignore[arg-type]
        choices=[(n, str(n)) for n in PER_PAGE_CHOICES],
    )
    # Not shown in the form: the pager sets it, and a new filter starts again at page 1.
    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
    )

    RANGES = (
        ("date_from", "date_to"),
        ("due_date_from", "due_date_to"),
        ("total_from", "total_to"),
    )

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        self.given = data if data is not None else QueryDict()
        if data is not None and not data.get("per_page"):
            # A bound form shows what it was given: supply the default page size.
            data = data.copy()
            data["per_page"] = str(DEFAULT_PER_PAGE)
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for start, end in self.RANGES:
            low, high = cleaned.get(start), cleaned.get(end)
            if low is not None and high is not None and low > high:
                self.add_error(
                    end,
                    _("“%(to)s” must not be before “%(from)s”.")
                    % {"to": self.fields[end].label, "from": self.fields[start].label},
                )
        if cleaned.get("overdue"):
            # The types a number search ("NC 2026/1") narrows to count as chosen types.
            _text, types = split_document_number(
                cleaned.get("text") or "", list(cleaned.get("type") or ())
            )
            statuses = cleaned.get("status") or ()
            if types and not set(types) & set(RECEIVABLE_TYPES):
                self.add_error(
                    "overdue",
                    _("Only invoices and debit notes can be overdue: add one of those types."),
                )
            elif statuses and not set(statuses) & set(UNPAID_STATUSES):
                self.add_error(
                    "overdue",
                    _("Only final or sent documents can be overdue: add one of those statuses."),
                )
        return cleaned

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1

    @property
    def page_size(self) -> int:
        return self.cleaned_data.get("per_page") or DEFAULT_PER_PAGE

    def upstream_filters(self, today: dt.date | None = None) -> dict[str, Any]:
        """The filter keywords of `InvoiceXpressClient.list_documents` (no page, no per_page)."""
        data = self.cleaned_data
        archived, non_archived = Archive.PARAMS[data.get("archived") or Archive.ANY]
        text, types = split_document_number(data.get("text") or "", list(data.get("type") or ()))
        statuses = list(data.get("status") or ())
        due_date_to = data.get("due_date_to")
        if data.get("overdue"):
            # clean() made sure the chosen types and statuses leave something.
            types = [name for name in types or RECEIVABLE_TYPES if name in RECEIVABLE_TYPES]
            statuses = [s for s in statuses or UNPAID_STATUSES if s in UNPAID_STATUSES]
            yesterday = (today or timezone.localdate()) - dt.timedelta(days=1)
            due_date_to = min(due_date_to, yesterday) if due_date_to else yesterday
        return {
            "text": text,
            "types": types,
            "statuses": statuses,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "due_date_from": data.get("due_date_from"),
            "due_date_to": due_date_to,
            "total_before_taxes_from": data.get("total_from"),
            "total_before_taxes_to": data.get("total_to"),
            "archived": archived,
            "non_archived": non_archived,
            "reference": data.get("reference") or "",
        }

    @property
    def has_filters(self) -> bool:
        """True when anything narrows the list (page size and page do not)."""
        return any(
            value not in (None, "", [], (), False)
            for name, value in self.cleaned_data.items()
            if name not in ("per_page", "page")
        )

    # Shown above the fold; the others sit in the collapsible "More filters" panel.
    ALWAYS_SHOWN = ("text", "overdue", "per_page", "page")

    def more_filters_active(self) -> int:
        """How many filters of the collapsible panel were given (or refused): it opens then.

        Read from the raw query, so a refused value (a date that does not parse) opens the
        panel too and its message is in sight.
        """
        active = {
            key
            for key in self.fields
            if key not in self.ALWAYS_SHOWN
            and any(value.strip() for value in self.given.getlist(key))
        }
        active.update(name for name in self.errors if name not in self.ALWAYS_SHOWN)
        return len(active)

    def canonical_query(self) -> QueryDict:
        """The filters as given, without empty or unknown keys: for the address bar and pager."""
        query = QueryDict(mutable=True)
        for key in self.fields:
            kept = [value for value in self.given.getlist(key) if value.strip()]
            if kept:
                query.setlist(key, kept)
        return query
