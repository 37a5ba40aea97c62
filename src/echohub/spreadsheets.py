"""Tables as downloads: CSV that Excel opens as UTF-8, and XLSX; no cell read as a formula."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

Cell = str | int | float | None
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe(cell: Cell) -> Cell:
    """Keep a spreadsheet from reading a typed text (a name, a label) as a formula."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def as_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else safe(cell) for cell in row])
    # A BOM so that Excel opens accents as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Cell]]]
# Excel refuses a sheet name longer than 31 characters or holding one of these.
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def as_workbook(sheets: Iterable[Sheet]) -> bytes:
    """One XLSX file with a sheet per (title, header, rows)."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title.translate(_NOT_IN_SHEET_NAMES)[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    return as_workbook([(title, header, rows)])


def download(
    fmt: str, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    """`filename`.csv or .xlsx as an attachment; `fmt` is "csv" or "xlsx"."""
    body = as_csv(header, rows) if fmt == "csv" else as_xlsx(title, header, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
