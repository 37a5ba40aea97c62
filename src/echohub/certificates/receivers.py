"""Certificates issued by themselves when a program asks for it (`certificates_automatic`).

When attendance is saved, everyone due gets theirs; when an accreditation needs the
evaluation, that excludes those who have not answered it yet (`roster`), and each of
them gets theirs when their evaluation is answered or waived (`evaluation_completed`).
"""

from typing import Any

from django.dispatch import receiver

from echohub.attendance.signals import attendance_saved
from echohub.certificates.models import CertificateBatch
from echohub.evaluations.models import Completion
from echohub.evaluations.signals import evaluation_completed
from echohub.programs.models import Program, Session


@receiver(attendance_saved)
def issue_automatically(sender: Any, session: Session, **kwargs: Any) -> None:
    program = session.program
    if not program.certificates_automatic or not program.accreditations.exists():
        return
    whole_cycle = program.certificates == Program.Certificates.CYCLE
    batch = CertificateBatch.objects.create(
        program=program, session=None if whole_cycle else session, requested_by=None
    )
    from echohub.certificates import tasks

    tasks.run_batch.enqueue(batch.pk)


@receiver(evaluation_completed)
def issue_when_evaluated(sender: Any, completion: Completion, **kwargs: Any) -> None:
    """The one person's certificate, in the background so that answering stays quick."""
    if not Program.objects.filter(pk=completion.program_id, certificates_automatic=True).exists():
        return
    from echohub.certificates import tasks

    tasks.issue_after_evaluation.enqueue(completion.pk)
