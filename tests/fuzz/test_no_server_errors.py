"""Property tests: no input to any form, and no query string of any GET page, gives a
server error. Every request goes through the Django test client as a logged-in manager (the
role that reaches every form), with and without HX-Request; upstream calls go to the sandbox
in process. An exception in a view fails the example (the test client re-raises it), and
hypothesis shrinks it to the smallest input that does it.

Examples per target: the hypothesis profile, "ci" (300) by default, "fuzz" (5,000) with
`make fuzz` (HYPOTHESIS_PROFILE=fuzz); see tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from invoices.create.forms import DocumentForm
from invoices.create.lines import ITEM_FIELDS
from invoices.documents.forms import DocumentFilterForm
from saft.forms import SaftPeriodForm
from tests.fuzz.strategies import VALUE, fuzzed

HTMX = {"HX-Request": "true"}
COMPANY = "/c/acme"


@dataclass(frozen=True)
class Target:
    name: str
    method: str
    url: Callable[[Any], str]
    fields: tuple[str, ...] = ()
    base: Callable[[Any], dict] = field(default=lambda world: {})
    anonymous: bool = False

    def __str__(self) -> str:
        return self.name


def doc(kind: str, suffix: str = "") -> Callable[[Any], str]:
    return lambda w: f"{COMPANY}/documents/invoices/{getattr(w, kind).id}/{suffix}"


# ---- the create form: header, client and lines --------------------------------------------

CREATE_BUTTONS = ("submit_document", "add_line", "remove_line", "pick_client", "refresh_taxes")
LINE_KEYS = tuple(f"items-{i}-{name}" for i in range(3) for name in ITEM_FIELDS)
CREATE_FIELDS = (
    *DocumentForm.base_fields,
    "items-TOTAL_FORMS",
    "items-INITIAL_FORMS",
    *LINE_KEYS,
    *CREATE_BUTTONS,
)


FRESH_TOKEN = "00000000-0000-4000-8000-000000000000"  # replaced by a new uuid per example


def create_base(world) -> dict[str, str]:
    data = {
        "token": FRESH_TOKEN,
        "doc_type": "invoices",
        "sequence": world.sequence_id,
        "date": "21/11/2026",
        "due_date": "21/12/2026",
        "client_name": "Maria Silva",
        "client_fiscal_id": "123456789",
        "client_country": "Portugal",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "submit_document": "1",
    }
    for i in range(2):
        data.update(
            {
                f"items-{i}-name": "Consulting",
                f"items-{i}-quantity": "1",
                f"items-{i}-unit": "service",
                f"items-{i}-unit_price": "100",
                f"items-{i}-discount": "0",
                f"items-{i}-tax": "IVA23",
            }
        )
    return data


FILTER_FIELDS = tuple(DocumentFilterForm.base_fields)
SAFT_FIELDS = tuple(SaftPeriodForm.base_fields)

FORMS = [
    Target("create", "post", lambda w: f"{COMPANY}/documents/new/", CREATE_FIELDS, create_base),
    Target(
        "create_preview",
        "post",
        lambda w: f"{COMPANY}/documents/new/preview/",
        CREATE_FIELDS,
        create_base,
    ),
    Target(
        "finalize",
        "post",
        doc("draft", "finalize/"),
        ("confirm",),
        lambda w: {"confirm": "1"},
    ),
    Target("delete", "post", doc("draft", "delete/"), ("confirm",), lambda w: {"confirm": "1"}),
    Target(
        "cancel",
        "post",
        doc("final", "cancel/"),
        ("confirm", "reason"),
        lambda w: {"confirm": "1", "reason": "Cliente errado"},
    ),
    Target("settle", "post", doc("final", "settle/"), ("confirm",)),
    Target("unsettle", "post", doc("settled", "unsettle/"), ("confirm",)),
    Target(
        "bulk_finalize",
        "post",
        lambda w: f"{COMPANY}/documents/finalize/",
        ("documents",),
        lambda w: {"documents": [str(w.draft.id)]},
    ),
    Target(
        "sequence_create",
        "post",
        lambda w: f"{COMPANY}/sequences/new/",
        ("serie", "make_default"),
        lambda w: {"serie": "F1"},
    ),
    Target(
        "saft_export_request",
        "post",
        lambda w: f"{COMPANY}/saft/request/",
        SAFT_FIELDS,
        lambda w: {"month": "1", "year": "2025"},
    ),
    Target(
        "saft_overview_request",
        "post",
        lambda w: "/saft/request/",
        SAFT_FIELDS,
        lambda w: {"month": "1", "year": "2025"},
    ),
    Target(
        "login",
        "post",
        lambda w: "/accounts/login/",
        ("username", "password", "next"),
        lambda w: {"username": "manager", "password": "wrong"},
        anonymous=True,
    ),
    Target(
        "set_language",
        "post",
        lambda w: "/i18n/setlang/",
        ("language", "next"),
        lambda w: {"language": "pt-pt", "next": "/"},
    ),
]

# ---- every GET page, with its query string fuzzed -------------------------------------------

PAGES = [
    Target("home", "get", lambda w: "/"),
    Target("company_home", "get", lambda w: f"{COMPANY}/"),
    Target("document_list", "get", lambda w: f"{COMPANY}/documents/", FILTER_FIELDS),
    Target("document_export", "get", lambda w: f"{COMPANY}/documents/export.csv", FILTER_FIELDS),
    Target("document_detail", "get", doc("final")),
    Target("document_header", "get", doc("final", "header/"), ("check",)),
    Target("document_pdf", "get", doc("final", "pdf/"), ("copy", "attempt")),
    Target("document_pdf_download", "get", doc("final", "pdf/download/"), ("copy", "attempt")),
    Target("confirm_panel", "get", doc("final", "cancel/")),
    Target("bulk_finalize_page", "get", lambda w: f"{COMPANY}/documents/finalize/", ("select",)),
    Target("create_page", "get", lambda w: f"{COMPANY}/documents/new/", ("type", "owner")),
    Target(
        "client_search",
        "get",
        lambda w: f"{COMPANY}/documents/new/clients/",
        ("q", "page", "name", "code"),
    ),
    Target("submission_detail", "get", lambda w: f"{COMPANY}/documents/new/{w.submission}/"),
    Target("sequence_list", "get", lambda w: f"{COMPANY}/sequences/", ("refresh", "created")),
    Target("sequence_form", "get", lambda w: f"{COMPANY}/sequences/new/"),
    Target("sequence_overview", "get", lambda w: "/sequences/", ("refresh", "created")),
    Target("audit_list", "get", lambda w: f"{COMPANY}/audit/", ("page",)),
    Target("saft_export_list", "get", lambda w: f"{COMPANY}/saft/", ("page",)),
    Target("saft_export_status", "get", lambda w: f"{COMPANY}/saft/{w.export.pk}/"),
    Target("saft_overview", "get", lambda w: "/saft/", ("page",)),
    Target("saft_overview_status", "get", lambda w: f"/saft/exports/{w.export.pk}/"),
    Target("login_page", "get", lambda w: "/accounts/login/", ("next",), anonymous=True),
]


def _send(world, target: Target, data: dict, htmx: bool):
    client = Client() if target.anonymous else world.client
    send = client.post if target.method == "post" else client.get
    return send(target.url(world), data, headers=HTMX if htmx else {})


@pytest.mark.parametrize("target", FORMS, ids=str)
@given(data=st.data())
def test_no_form_input_gives_a_server_error(world, target, data):
    payload = data.draw(fuzzed(target.fields, target.base(world)), label="form data")
    if payload.get("token") == FRESH_TOKEN:  # each example is a new form, not a resend
        payload["token"] = str(data.draw(st.uuids(version=4), label="token"))
    htmx = data.draw(st.booleans(), label="htmx")
    response = _send(world, target, payload, htmx)
    assert response.status_code < 500, response.status_code


@pytest.mark.parametrize("target", PAGES, ids=str)
@given(data=st.data())
def test_no_query_string_gives_a_server_error(world, target, data):
    query = data.draw(fuzzed(target.fields), label="query")
    htmx = data.draw(st.booleans(), label="htmx")
    response = _send(world, target, query, htmx)
    assert response.status_code < 500, response.status_code


# ---- the decimal fields themselves ---------------------------------------------------------


def _form_classes() -> list[type[forms.BaseForm]]:
    import importlib
    import pkgutil

    import invoices
    import saft

    found = []
    for package in (invoices, saft):
        for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" in module_info.name or ".management" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                ):
                    found.append(value)
    return found


def test_every_decimal_field_of_every_form_refuses_nan_and_infinity_itself():
    from invoices.forms import FiniteDecimalField

    decimal_fields = [
        (form.__name__, name)
        for form in _form_classes()
        for name, f in form.base_fields.items()
        if isinstance(f, forms.DecimalField)
    ]
    assert len(decimal_fields) >= 6  # quantity, unit_price, discount, retention, total_from/to
    for form_name, name in decimal_fields:
        form = next(f for f in _form_classes() if f.__name__ == form_name)
        assert isinstance(form.base_fields[name], FiniteDecimalField), (form_name, name)


@given(VALUE)
def test_a_finite_decimal_field_gives_a_finite_number_or_a_field_error(value):
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from invoices.forms import LooseDecimalField

    field_ = LooseDecimalField(required=False, max_digits=14, decimal_places=4)
    # What a formset asks first of each row: compared with its initial value, never raising.
    assert isinstance(field_.has_changed(Decimal("1"), value), bool)
    try:
        cleaned = field_.clean(value)
    except ValidationError:
        return
    assert cleaned is None or cleaned.is_finite()
