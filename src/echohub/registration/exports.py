"""Registrant lists as CSV and XLSX, with the columns a coordinator works with."""

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from echohub.registration.models import Registration


def header() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Status"),
        _("Profession"),
        _("Practice setting"),
        _("Province or territory"),
        _("Spoke"),
        _("Registered at (UTC)"),
    ]


def row(registration: Registration) -> list[str]:
    person = registration.person
    return [
        person.name,
        person.email,
        str(registration.get_status_display()),
        str(person.profession or ""),
        str(person.practice_setting or ""),
        str(person.province or ""),
        person.spoke.name if person.spoke else "",
        registration.created_at.strftime("%Y-%m-%d %H:%M"),
    ]


def _safe(cell: str) -> str:
    """Keep a spreadsheet from reading a name as a formula (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def as_csv(registrations: Iterable[Registration]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for registration in registrations:
        writer.writerow([_safe(cell) for cell in row(registration)])
    # A BOM so that Excel opens accented names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(registrations: Iterable[Registration]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Registrants"))
    sheet.append(header())
    for registration in registrations:
        sheet.append([_safe(cell) for cell in row(registration)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
