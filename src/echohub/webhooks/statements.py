"""Attendance and certificates as xAPI 1.0.3 statements: the one place that maps EchoHub
to the e-learning standard a learning management system reads.

- A person who attended: *attended* the session (an ADL "meeting" activity whose
  id is the session's page), with the minutes as the result's duration and the
  program as the parent activity.
- A certificate: *earned* it (the Tin Can registry's verb), its object the session
  (or, for a cycle, the program), with the credit lines and the verification
  page as result extensions.

The statement's id is a UUID made from what it says (the site, the record, the
minutes), so sending it again is harmless, and a changed attendance is a new
statement rather than a conflict.
"""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from echohub.attendance.models import Attendance
from echohub.certificates.models import Certificate
from echohub.programs.models import Program, Session

VERSION = "1.0.3"
ATTENDED = {
    "id": "http://adlnet.gov/expapi/verbs/attended",
    "display": {"en-CA": "attended", "fr-CA": "a assisté à"},
}
EARNED = {
    "id": "http://id.tincanapi.com/verb/earned",
    "display": {"en-CA": "earned", "fr-CA": "a obtenu"},
}
MEETING = "http://adlnet.gov/expapi/activities/meeting"
COURSE = "http://adlnet.gov/expapi/activities/course"
NAMESPACE = uuid.UUID("6f0c3a5e-2b7d-4d8e-9a61-0e9d8c1f5b42")  # EchoHub's statements


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _page(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return _site(reverse(name, kwargs=kwargs))


def _names(en: str, fr: str) -> dict[str, str]:
    names = {"en-CA": en, "fr-CA": fr}
    return {lang: text for lang, text in names.items() if text} or {"en-CA": en or fr}


def _extension(name: str) -> str:
    return _site(f"/api/v1/xapi/{name}")


def _program_activity(program: Program) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": _page("programs:program", slug=program.slug),
        "definition": {"type": COURSE, "name": _names(program.title_en, program.title_fr)},
    }


def _session_activity(session: Session) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": _page("programs:session", pk=session.pk),
        "definition": {"type": MEETING, "name": _names(session.title_en, session.title_fr)},
    }


def _actor(name: str, email: str) -> dict[str, Any]:
    return {"objectType": "Agent", "name": name or email, "mbox": f"mailto:{email}"}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join([settings.SITE_URL, *map(str, parts)])))


def _context(program: Program, language: str) -> dict[str, Any]:
    return {
        "platform": "EchoHub",
        "language": "fr-CA" if language == "fr" else "en-CA",
        "contextActivities": {"parent": [_program_activity(program)]},
    }


def attended(row: Attendance) -> dict[str, Any] | None:
    """The statement of one person's attendance, or None (absent, or no address)."""
    person = row.person
    name, email = (person.name, person.email) if person else (row.walk_in_name, row.walk_in_email)
    if not row.present or not email:
        return None
    session = row.session
    language = person.preferred_language if person else "en"
    return {
        "id": _id("attended", row.pk, row.minutes),
        "actor": _actor(name, email),
        "verb": ATTENDED,
        "object": _session_activity(session),
        "result": {"completion": True, "duration": f"PT{row.minutes}M"},
        "context": _context(session.program, language),
        "timestamp": session.ends_at.astimezone(dt.UTC).isoformat(),
    }


def earned(certificate: Certificate) -> dict[str, Any]:
    """The statement of a certificate issued."""
    person = certificate.person
    program = certificate.program
    session = certificate.session
    activity = _session_activity(session) if session else _program_activity(program)
    credits = [
        {"type": line.get("type", ""), "amount": str(line.get("amount", "")),
         "body": line.get("body", ""), "label": line.get("label_en", "")}
        for line in certificate.credits
    ]  # fmt: skip
    context = _context(program, certificate.language)
    if session is None:  # the program is the object itself: no parent
        del context["contextActivities"]
    return {
        "id": _id("earned", certificate.code),
        "actor": _actor(certificate.person_name, person.email),
        "verb": EARNED,
        "object": activity,
        "result": {
            "completion": True,
            "success": True,
            "duration": f"PT{certificate.minutes}M",
            "extensions": {
                _extension("certificate"): _page("certificates:verify", code=certificate.code),
                _extension("credits"): credits,
            },
        },
        "context": context,
        "timestamp": certificate.issued_at.astimezone(dt.UTC).isoformat(),
    }
