"""The list filters of GET /invoices.json (invoices-list.txt) and the pagination.

Parsed by hand rather than through a Django form on purpose: the service is lenient, so a
malformed value (a date that is not dd/mm/yyyy, a page that is not a number) is ignored,
never an error, and the sandbox must answer the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from sandbox.doctypes import DocTypeInfo
from sandbox.models.documents import DocumentQuerySet
from sandbox.validation import parse_date, to_decimal

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100


def _values(query: QueryDict, name: str) -> list[str]:
    """Both spellings clients use: type[]=a&type[]=b and type=a."""
    return [value for value in query.getlist(f"{name}[]") + query.getlist(name) if value]


def _true(query: QueryDict, name: str) -> bool:
    return query.get(name, "").strip().lower() in ("true", "1")


def filter_documents(
    documents: DocumentQuerySet, query: QueryDict, only: DocTypeInfo | None
) -> DocumentQuerySet:
    """Apply every filter the service knows. `only`: a per-type list (receipts.json, ...)."""
    if only is not None:
        documents = documents.filter(doc_type=only.doc_type)
    elif types := _values(query, "type"):
        documents = documents.filter(doc_type__in=types)
    if statuses := _values(query, "status"):
        documents = documents.filter(status__in=statuses)
    if text := query.get("text", "").strip():
        documents = documents.matching_text(text)
    if reference := query.get("reference", "").strip():
        documents = documents.filter(reference__icontains=reference)
    for field in ("date", "due_date"):
        if start := parse_date(query.get(f"{field}[from]", "")):
            documents = documents.filter(**{f"{field}__gte": start})
        if end := parse_date(query.get(f"{field}[to]", "")):
            documents = documents.filter(**{f"{field}__lte": end})
    if (low := to_decimal(query.get("total_before_taxes[from]"))) is not None:
        documents = documents.filter(before_taxes__gte=low)
    if (high := to_decimal(query.get("total_before_taxes[to]"))) is not None:
        documents = documents.filter(before_taxes__lte=high)
    # archived=true asks for archived documents, non_archived=true for the others; both or
    # neither: no filter.
    archived, non_archived = _true(query, "archived"), _true(query, "non_archived")
    if archived != non_archived:
        documents = documents.filter(archived=archived)
    return documents


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page


def _positive_int(value, default: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def page_from(query: QueryDict) -> Page:
    per_page = min(_positive_int(query.get("per_page"), DEFAULT_PER_PAGE), MAX_PER_PAGE)
    number = min(_positive_int(query.get("page"), 1), 10**6)
    return Page(number=number, per_page=per_page)
