"""A lease per running worker process, kept alive by a heartbeat.

django-tasks' database backend marks a task RUNNING with the id of the worker
that took it, and never looks at it again: a worker killed mid-task (out of
memory, a deploy, SIGKILL) leaves it running for good. Each `echohub worker`
holds a lease that a thread renews every quarter of TASK_LEASE_SECONDS; work
held by a lease that stopped beating is taken to be orphaned and done again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lease(models.Model):
    id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker lease")
        verbose_name_plural = _("worker leases")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.id})"
