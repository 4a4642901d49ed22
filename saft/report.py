"""What a SAF-T validation found, as data: codes and parameters, translated only when shown.

The report is stored as JSON on the export (`ValidationReport.to_json`) and read back with
`ValidationReport.from_json`, so a report written in English is read in Portuguese by a
Portuguese reader: nothing translated is ever stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Verdict:
    VALID = "valid"
    WARNINGS = "warnings"  # valid with warnings
    INVALID = "invalid"


class Severity:
    ERROR = "error"
    WARNING = "warning"


# One msgid per rule. Parameters: document, expected, found, detail (any may be empty).
MESSAGES: dict[str, Any] = {
    "malformed": _("The XML is malformed and cannot be read: %(detail)s"),
    "not_saft": _("The XML is not a Portuguese SAF-T (1.04_01) audit file."),
    "schema": _("Does not follow the SAF-T (PT) 1.04_01 schema: %(detail)s"),
    "period": _("The file's period is %(found)s; the month asked is %(expected)s."),
    "fiscal_year": _("The file's fiscal year is %(found)s; expected %(expected)s."),
    "nif_mismatch": _(
        "The file belongs to the company with NIF %(found)s, not to this company "
        "(NIF %(expected)s)."
    ),
    "nif_invalid": _("The company NIF in the file header, %(found)s, is not a valid NIF."),
    "nif_unknown": _(
        "This company's NIF is not recorded, so the file's NIF (%(found)s) could not be "
        "compared with it."
    ),
    "customer_nif_invalid": _("Customer %(document)s has an invalid Portuguese NIF: %(found)s."),
    "entries_mismatch": _("NumberOfEntries says %(found)s; the file holds %(expected)s documents."),
    "total_debit_mismatch": _(
        "TotalDebit says %(found)s; the documents not cancelled add up to %(expected)s."
    ),
    "total_credit_mismatch": _(
        "TotalCredit says %(found)s; the documents not cancelled add up to %(expected)s."
    ),
    "gross_total": _(
        "%(document)s: GrossTotal is %(found)s; NetTotal + TaxPayable is %(expected)s."
    ),
    "net_total": _("%(document)s: NetTotal is %(found)s; its lines add up to %(expected)s."),
    "atcud_missing": _("%(document)s has no ATCUD."),
    "atcud_mismatch": _(
        "%(document)s: the ATCUD %(found)s does not end in the document's number "
        "(expected …-%(expected)s)."
    ),
    "zero_rate_without_exemption": _(
        "%(document)s, line %(found)s: a 0 %% line without tax exemption code and reason."
    ),
    "exemption_on_taxed_line": _(
        "%(document)s, line %(found)s: a taxed line carries a tax exemption reason."
    ),
    "exemption_incomplete": _(
        "%(document)s, line %(found)s: the tax exemption needs both its code and its reason."
    ),
    "tax_base_with_amount": _(
        "%(document)s, line %(found)s: a line with TaxBase must have a zero price and amount."
    ),
    "payment_without_tax": _("%(document)s: a cash-VAT (RC) payment line has no tax."),
    "payment_type_without_tax": _("%(document)s: an RC payment needs the tax of its lines."),
    "gl_grouping": _("General ledger account %(document)s breaks the grouping rules."),
    "hash_control": _(
        "%(document)s: HashControl is %(found)s; a file from software without a certificate "
        "number (0) must have %(expected)s."
    ),
    "duplicate_number": _("%(document)s appears %(found)s times."),
    "unknown_type": _("%(document)s has the unknown document type %(found)s."),
    "type_mismatch": _(
        "%(document)s: its type is %(found)s but its number starts with %(expected)s."
    ),
    "invalid_date": _("%(document)s: %(detail)s %(found)s is not a real date."),
    "date_outside_period": _("%(document)s is dated %(found)s, outside the period %(expected)s."),
    "unknown_customer": _("%(document)s names customer %(found)s, who is not in MasterFiles."),
    "tax_table_missing": _("The file has document lines but no TaxTable."),
    "tax_not_in_table": _(
        "%(document)s: the tax %(found)s of its lines is not in the file's TaxTable."
    ),
}

# The rules whose `detail` was the XML validator's own words, from before those were kept
# apart in `said` (shown quoted beside the sentence, never translated). A report stored
# before keeps its detail inside the older sentence above.
WITHOUT_DETAIL: dict[str, Any] = {
    "malformed": _("The XML is malformed and cannot be read."),
    "schema": _("Does not follow the SAF-T (PT) 1.04_01 schema."),
}
# A file the checks refused before parsing it: `detail` is our reason's msgid (from
# `saft.archive.SaftFileError`), translated when shown.
UNREADABLE = _("The XML cannot be read: %(detail)s")

MAX_PROBLEMS = 500  # a broken 100,000-line file would otherwise store 100,000 entries


@dataclass(frozen=True)
class Problem:
    code: str
    severity: str = Severity.ERROR
    document: str = ""
    expected: str = ""
    found: str = ""
    detail: str = ""
    # The XML validator's (libxml2's) own words about the problem: quoted, never translated.
    said: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def message(self) -> str:
        """The problem in the active language (the validator's words are apart, `said`)."""
        if self.code == "unreadable":
            return str(UNREADABLE) % {"detail": gettext(self.detail)}
        if self.code in WITHOUT_DETAIL and not self.detail:
            return str(WITHOUT_DETAIL[self.code])
        template = MESSAGES.get(self.code)
        if template is None:
            return f"{self.code}: {self.document} {self.expected} {self.found}".strip()
        # The lazy msgid turns into the active language here, when shown, never when stored.
        return str(template) % {
            "document": self.document,
            "expected": self.expected,
            "found": self.found,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class TypeTotals:
    """Count and totals of one document type (cancelled documents counted, not summed)."""

    count: int = 0
    net: str = "0.00"
    tax: str = "0.00"
    gross: str = "0.00"


@dataclass(frozen=True)
class TypeReconciliation:
    doc_type: str
    file: TypeTotals
    upstream: TypeTotals

    @property
    def matches(self) -> bool:
        return self.file == self.upstream


@dataclass(frozen=True)
class Reconciliation:
    """The file against the documents InvoiceXpress lists for the same month."""

    types: tuple[TypeReconciliation, ...] = ()
    missing_in_file: tuple[str, ...] = ()  # listed by InvoiceXpress, absent from the file
    missing_upstream: tuple[str, ...] = ()  # in the file, not listed by InvoiceXpress
    # The list could not be read: why, as our sentence items (translated when shown), and
    # InvoiceXpress's own words (quoted). `error` is the text a report stored before held.
    failure: tuple[dict[str, Any], ...] = ()
    said: str = ""
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.failure or self.error)

    @property
    def matches(self) -> bool:
        return (
            not self.failed
            and not self.missing_in_file
            and not self.missing_upstream
            and all(t.matches for t in self.types)
        )

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Reconciliation:
        return cls(
            types=tuple(
                TypeReconciliation(
                    doc_type=row["doc_type"],
                    file=TypeTotals(**row["file"]),
                    upstream=TypeTotals(**row["upstream"]),
                )
                for row in data.get("types", [])
            ),
            missing_in_file=tuple(data.get("missing_in_file", [])),
            missing_upstream=tuple(data.get("missing_upstream", [])),
            failure=tuple(data.get("failure", [])),
            said=data.get("said", ""),
            error=data.get("error", ""),
        )


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0  # problems past MAX_PROBLEMS, counted but not kept
    documents: int = 0
    lines: int = 0
    tax_registration_number: str = ""
    company_name: str = ""
    reconciliation: Reconciliation | None = None

    def add(self, code: str, severity: str = Severity.ERROR, **params: Any) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.omitted += 1
            if severity == Severity.ERROR and not self.has_errors:
                # Never let the cap hide that the file is invalid.
                self.problems[-1] = Problem(code, severity, **_texts(params))
            return
        self.problems.append(Problem(code, severity, **_texts(params)))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def verdict(self) -> str:
        rec = self.reconciliation
        # A document InvoiceXpress issued that the file lacks (or one it never issued) makes
        # the declaration wrong: invalid. Totals that differ, or a list that could not be
        # read, are warnings: someone has to look before submitting.
        if self.has_errors or (rec and (rec.missing_in_file or rec.missing_upstream)):
            return Verdict.INVALID
        if self.problems or (rec and not rec.matches):
            return Verdict.WARNINGS
        return Verdict.VALID

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def to_json(self) -> dict:
        return {
            "verdict": self.verdict,
            "problems": [asdict(p) for p in self.problems],
            "omitted": self.omitted,
            "documents": self.documents,
            "lines": self.lines,
            "tax_registration_number": self.tax_registration_number,
            "company_name": self.company_name,
            "reconciliation": self.reconciliation.to_json() if self.reconciliation else None,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> ValidationReport:
        data = data or {}
        reconciliation = data.get("reconciliation")
        return cls(
            problems=[Problem(**p) for p in data.get("problems", [])],
            omitted=data.get("omitted", 0),
            documents=data.get("documents", 0),
            lines=data.get("lines", 0),
            tax_registration_number=data.get("tax_registration_number", ""),
            company_name=data.get("company_name", ""),
            reconciliation=Reconciliation.from_json(reconciliation) if reconciliation else None,
        )


def _texts(params: dict[str, Any]) -> dict[str, str]:
    return {key: "" if value is None else str(value) for key, value in params.items()}
