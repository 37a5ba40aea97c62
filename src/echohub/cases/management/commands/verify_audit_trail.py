"""`echohub verify_audit_trail`: recompute the case audit trail's chain of digests.

Exits with status 1, naming the first records where the chain breaks, when a
record was changed or removed behind the application's back. The newest
digest is also written to the log with each record (`audit record N digest
…`): compare it with the last one here to see a trail cut short at its end.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from echohub.cases.audit import verify_chain
from echohub.cases.models import AuditRecord


class Command(BaseCommand):
    help = "Check that no case audit record was changed or removed (the chain of digests)."

    def handle(self, *args: Any, **options: Any) -> None:
        count, breaks = verify_chain()
        if breaks:
            for found in breaks[:20]:
                self.stderr.write(f"record {found.record_id}: {found.reason}")
            raise CommandError(f"The audit trail is broken in {len(breaks)} place(s).")
        last = AuditRecord.objects.order_by("-pk").values_list("pk", "digest").first()
        newest = f"; the newest is record {last[0]}, digest {last[1]}" if last else ""
        self.stdout.write(f"{count} audit record(s), the chain holds{newest}")
