"""Certificates issued by themselves when a program asks for it (`certificates_automatic`)."""

from typing import Any

from django.dispatch import receiver

from echohub.attendance.signals import attendance_saved
from echohub.certificates.models import CertificateBatch
from echohub.programs.models import Program, Session


@receiver(attendance_saved)
def issue_automatically(sender: Any, session: Session, **kwargs: Any) -> None:
    program = session.program
    if not program.certificates_automatic or not program.accreditations.exists():
        return
    if any(a.requires_evaluation for a in program.accreditations.all()):
        return  # the coordinator is told why when they issue by hand
    whole_cycle = program.certificates == Program.Certificates.CYCLE
    batch = CertificateBatch.objects.create(
        program=program, session=None if whole_cycle else session, requested_by=None
    )
    from echohub.certificates import tasks

    tasks.run_batch.enqueue(batch.pk)
