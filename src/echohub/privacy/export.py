"""A person's own data, as PIPEDA and Quebec's Law 25 let them ask for it: one zip.

It holds JSON (everything, in one file) and a CSV per table, of what EchoHub
keeps about the person: their profile, registrations, attendance,
certificates, the cases they presented, their consents (privacy notice,
updates), their subscription, the programs they were let into and the
invitations sent to their address, and what they wrote in the discussion
spaces. Nothing about anyone else: no other
attendee, no reviewer's name, no evaluation answer (those are kept apart from
any person, by design, and cannot be found again).
"""

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.db.models import QuerySet

from echohub import spreadsheets
from echohub.accounts.models import PrivacyConsent, User
from echohub.attendance.models import Attendance
from echohub.cases.models import Case
from echohub.certificates.models import Certificate
from echohub.community.models import Post
from echohub.programs.models import Invitation, ProgramMember
from echohub.registration.models import Registration
from echohub.updates.models import Consent, Subscriber


def _values(rows: QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    return [dict(row) for row in rows.values(*fields)]


def _rows(person: User) -> dict[str, list[dict[str, Any]]]:
    profile = {
        "email": person.email,
        "name": person.name,
        "profession": person.profession.code if person.profession else "",
        "practice_setting": person.practice_setting.code if person.practice_setting else "",
        "province": person.province.code if person.province else "",
        "spoke": str(person.spoke) if person.spoke else "",
        "practice_postal_code": person.practice_postal_code,
        "preferred_language": person.preferred_language,
        "timezone": person.timezone,
        "licence_number": person.licence_number,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
    }
    subscriber = Subscriber.objects.filter(person=person).select_related("address").first()
    registrations = Registration.objects.filter(person=person).order_by("created_at")
    attendance = Attendance.objects.filter(person=person).order_by("session__starts_at")
    certificates = Certificate.objects.filter(person=person).order_by("issued_at")
    cases = Case.objects.filter(presenter=person).order_by("pk")
    consents = PrivacyConsent.objects.filter(person=person).order_by("given_at")
    update_consents = Consent.objects.filter(email__iexact=person.email).order_by("given_at")
    memberships = ProgramMember.objects.filter(person=person).order_by("created_at")
    invitations = Invitation.objects.filter(email=Invitation.address(person.email)).order_by(
        "sent_at"
    )
    posts = Post.objects.filter(author=person).order_by("created_at")
    session = ("session__title_en", "session__title_fr", "session__starts_at")
    return {
        "profile": [profile],
        "registrations": _values(registrations, *session, "status", "created_at", "updated_at"),
        "attendance": _values(attendance, *session, "present", "minutes", "role", "source"),
        "certificates": _values(
            certificates,
            "code",
            "activity_en",
            "activity_fr",
            "hub_en",
            "hub_fr",
            "days",
            "minutes",
            "credits",
            "issued_at",
            "revoked_at",
        ),
        "cases": _values(cases, "program__slug", "number", "title", "answers", "status"),
        "privacy_consents": _values(
            consents,
            "wording",
            "language",
            "page",
            "given_at",
            "notice__version",
            "notice__published_at",
        ),
        "update_consents": _values(
            update_consents,
            "via",
            "wording",
            "language",
            "asked_by",
            "page",
            "ip_address",
            "source",
            "given_at",
            "confirmed_at",
        ),
        "program_memberships": _values(memberships, "program__slug", "source", "created_at"),
        "invitations": _values(
            invitations, "program__slug", "status", "sent_at", "expires_at", "accepted_at"
        ),
        "discussion_posts": _values(
            posts,
            "thread__space__program__slug",
            "thread__title",
            "body",
            "language",
            "status",
            "created_at",
            "edited_at",
        ),
        "subscription": [
            {
                "frequency": subscriber.frequency,
                "language": subscriber.language,
                "unsubscribed": bool(subscriber.address.suppressed),
            }
        ]
        if subscriber
        else [],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def my_data(person: User) -> bytes:
    """The zip: `my-data.json`, and one CSV per table (UTF-8 with a BOM, for Excel)."""
    tables = {
        name: [{k: _plain(v) for k, v in row.items()} for row in rows]
        for name, rows in _rows(person).items()
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(tables, indent=2, ensure_ascii=False))
        for name, rows in tables.items():
            cells = ([_cell(v) for v in row.values()] for row in rows)
            table = spreadsheets.as_csv(list(rows[0]), cells) if rows else "\ufeff".encode()
            archive.writestr(f"{name}.csv", table)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: lists and objects as JSON (spreadsheets.as_csv keeps it from being
    read as a formula)."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
