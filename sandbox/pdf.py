"""A real, minimal PDF 1.4 of a document, written by hand (no dependency).

Helvetica (one of the 14 standard fonts, so nothing is embedded) with WinAnsiEncoding, which
covers Portuguese (ã, ç, é, º). One content stream per A4 page; the xref table holds exact
byte offsets, so any PDF reader opens it.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from sandbox.models import SandboxDocument, Status
from sandbox.reference import exemption_codes
from sandbox.totals import retention_amount

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
TOP, BOTTOM, LEFT = 800, 50, 50
LEADING = 14
LINES_PER_PAGE = (TOP - BOTTOM) // LEADING


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _euros(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " EUR"


def document_text_lines(
    doc: SandboxDocument, *, second_copy: bool = False
) -> list[tuple[int, str]]:
    """(font size, text) rows, top to bottom."""
    account = doc.account
    client = doc.client
    rows: list[tuple[int, str]] = [
        (16, account.display_name),
        (
            9,
            f"NIF {account.fiscal_id}  {account.address} {account.postal_code} {account.city}".strip(),
        ),
        (9, ""),
        (14, f"{doc.info.label} {doc.display_number}"),
    ]
    if second_copy:
        rows.append((11, "2.ª via"))
    if doc.status == Status.CANCELED:
        rows.append((12, "ANULADO"))
    rows += [
        (10, f"ATCUD: {doc.atcud}"),
        (10, f"Data: {doc.date:%d/%m/%Y}    Vencimento: {doc.due_date:%d/%m/%Y}"),
    ]
    if doc.reference:
        rows.append((10, f"Referência: {doc.reference}"))
    rows += [
        (10, ""),
        (11, f"Cliente: {client.name}"),
        (10, f"NIF: {client.fiscal_id or '999999990 (consumidor final)'}"),
    ]
    address = " ".join(
        p for p in (client.address, client.postal_code, client.city, client.country) if p
    )
    if address:
        rows.append((10, address))
    rows += [(10, ""), (10, "Descrição | Qtd. | Preço unit. | Desc. | IVA | Total")]
    for line in doc.lines.all():
        rows.append(
            (
                9,
                f"{line.name} | {line.quantity.normalize():f} {line.unit} | "
                f"{_euros(line.unit_price)} | {line.discount.normalize():f}% | "
                f"{line.tax_name} {line.tax_value.normalize():f}% | {_euros(line.subtotal - line.discount_amount)}",
            )
        )
        if line.description:
            rows.append((8, f"    {line.description}"))
    rows += [
        (10, ""),
        (10, f"Soma: {_euros(doc.sum)}"),
        (10, f"Desconto: {_euros(doc.discount)}"),
        (10, f"Total sem IVA: {_euros(doc.before_taxes)}"),
        (10, f"IVA: {_euros(doc.taxes)}"),
        (12, f"Total: {_euros(doc.total)}"),
    ]
    if doc.retention:
        withheld = retention_amount(doc.before_taxes, doc.retention)
        rows.append((10, f"Retenção na fonte ({doc.retention.normalize():f}%): {_euros(withheld)}"))
    if doc.tax_exemption:
        wording = exemption_codes().get(doc.tax_exemption, "")
        rows.append((9, f"Isenção {doc.tax_exemption}: {wording}"))
    if doc.mb_reference:
        rows.append((10, f"Multibanco: entidade {doc.mb_entity}, referência {doc.mb_reference}"))
    if doc.observations:
        rows.append((9, f"Observações: {doc.observations}"))
    rows += [
        (9, ""),
        (8, f"{doc.hash_chars}-Processado por programa certificado n.º 0000/AT (sandbox)"),
    ]
    return rows


def _page_stream(rows: list[tuple[int, str]]) -> bytes:
    parts = [b"BT", f"{LEFT} {TOP} Td".encode()]
    for size, text in rows:
        parts.append(f"/F1 {size} Tf".encode())
        parts.append(b"(" + _escape(text) + b") Tj")
        parts.append(f"0 -{LEADING} Td".encode())
    parts.append(b"ET")
    return b"\n".join(parts)


def _wrapped(rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Long rows split to the page width (Helvetica averages about half its size per glyph)."""
    out = []
    for size, text in rows:
        width = int((PAGE_WIDTH - 2 * LEFT) / (size * 0.5))
        out += [(size, part) for part in textwrap.wrap(text, width, subsequent_indent="  ")] or [
            (size, "")
        ]
    return out


def render_pdf(rows: list[tuple[int, str]], title: str = "") -> bytes:
    """A PDF with the rows, wrapped and paginated. Objects: 1 catalog, 2 pages, 3 font,
    4 info, then a (page, content) pair per page."""
    rows = _wrapped(rows)
    pages = [rows[i : i + LINES_PER_PAGE] for i in range(0, len(rows), LINES_PER_PAGE)] or [[]]
    page_ids = [5 + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + b" ".join(f"{pid} 0 R".encode() for pid in page_ids)
        + f"] /Count {len(pages)} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Title (" + _escape(title) + b") /Producer (ixportal sandbox) >>",
    }
    for page_id, page_rows in zip(page_ids, pages, strict=True):
        stream = _page_stream(page_rows)
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>"
        ).encode()
        objects[page_id + 1] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n".encode() + b"0000000000 65535 f \n"
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def document_pdf(doc: SandboxDocument, *, second_copy: bool = False) -> bytes:
    return render_pdf(document_text_lines(doc, second_copy=second_copy), title=doc.display_number)
