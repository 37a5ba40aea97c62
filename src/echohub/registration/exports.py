"""Registrant lists as CSV and XLSX (`echohub.spreadsheets`), with the columns a coordinator
works with."""

from django.utils.translation import gettext as _

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
