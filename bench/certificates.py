"""Certificates benchmark: issue 1,000 certificates and write their PDFs.

One session with an accreditation and 1,000 people who attended it; it times
`issue_for_session` (the 1,000 certificate rows, with their emails queued) plus
rendering each certificate's PDF (fonts, QR code, accreditation statement) and
writing it to a file, as a bulk issue followed by everyone downloading theirs.

    .venv/bin/python bench/certificates.py [--count 1000]

Without DATABASE_URL it uses a fresh SQLite file in a temporary directory (removed
at the end); with one, its rows (slugs and emails "certbench-") are deleted before
and after. The last line on stdout is one JSON object.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from common import log

PREFIX = "certbench-"
STATEMENT = (
    "This one-credit-per-hour Group Learning program meets the certification criteria of the "
    "College of Family Physicians of Canada and has been certified by the Ontario Chapter for "
    "up to 12 Mainpro+ credits."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="echohub-certbench-"))
    os.environ.update(ECHOHUB_DATA_DIR=str(tmp), DJANGO_SETTINGS_MODULE="echohub.settings")
    os.environ["TASKS_BACKEND"] = "database"  # the emails wait in the queue, as in production
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from echohub.accounts.models import User
    from echohub.attendance.models import Attendance
    from echohub.certificates import documents, services
    from echohub.certificates.models import Accreditation, Certificate
    from echohub.network.models import Hub
    from echohub.programs.models import Program, Session

    def clean() -> None:
        Certificate.objects.filter(program__slug__startswith=PREFIX).delete()
        Attendance.objects.filter(session__program__slug__startswith=PREFIX).delete()
        Program.objects.filter(slug__startswith=PREFIX).delete()
        Hub.objects.filter(slug__startswith=PREFIX).delete()
        User.objects.filter(email__startswith=PREFIX).delete()

    try:
        call_command("migrate", verbosity=0)
        clean()
        hub = Hub.objects.create(
            slug=f"{PREFIX}hub",
            name_en="Ontario Palliative Care Hub",
            scope="national",
            contact_email="echo@example.invalid",
        )
        program = Program.objects.create(
            hub=hub, slug=f"{PREFIX}program", title_en="Grief and bereavement", status="published"
        )
        session = Session.objects.create(
            program=program,
            title_en="Anticipatory grief",
            starts_at=dt.datetime(2026, 3, 5, 17, 0, tzinfo=dt.UTC),
            duration_minutes=60,
        )
        accreditation = Accreditation.objects.create(
            program=program,
            body="College of Family Physicians of Canada",
            credit_type=Accreditation.CreditType.MAINPRO_GROUP,
            credits_per_hour=Decimal("1"),
            number="MP-2026-0042",
            statement_en=STATEMENT,
            valid_from=dt.date(2026, 1, 1),
            valid_to=dt.date(2026, 12, 31),
        )
        accreditation.professions.set(["family-physician"])  # credit goes to those it names
        unusable = make_password(None)
        users = User.objects.bulk_create(
            User(
                email=f"{PREFIX}{i:05d}@example.invalid",
                name=f"Amélie Tremblay {i}",
                profession_id="family-physician",
                password=unusable,
            )
            for i in range(args.count)
        )
        Attendance.objects.bulk_create(
            Attendance(session=session, person=user, minutes=45 + i % 16, source="report")
            for i, user in enumerate(users)
        )
        out = tmp / "pdf"
        out.mkdir()
        started = time.perf_counter()
        with transaction.atomic():
            issued = services.issue_for_session(session, by=None)
        issuing = time.perf_counter() - started
        size = 0
        for certificate in issued:
            pdf = documents.certificate_pdf(certificate)
            (out / f"{certificate.code}.pdf").write_bytes(pdf)
            size += len(pdf)
        seconds = time.perf_counter() - started
        log(
            f"{connection.vendor}: {len(issued)} issued in {issuing:.2f} s, PDFs written in "
            f"{seconds - issuing:.2f} s ({size / len(issued) / 1024:.0f} KB each)"
        )
        result = {
            "certificates": len(issued),
            "per_second": round(len(issued) / seconds, 1),
            "issue_only_per_second": round(len(issued) / issuing, 1),
            "pdf_kb": round(size / len(issued) / 1024, 1),
            "engine": connection.vendor,
        }
    finally:
        if "clean" in locals():
            clean()
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
