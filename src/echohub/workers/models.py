"""A lease per running worker process, kept alive by a heartbeat.

django-tasks' database backend marks a task RUNNING with the id of the worker
that took it, and never looks at it again: a worker killed mid-task (out of
memory, a deploy, SIGKILL) leaves it running for good. Each `echohub worker`
holds a lease that a thread renews every quarter of TASK_LEASE_SECONDS; work
held by a lease that stopped beating is taken to be orphaned and done again.
"""

import datetime as dt

from django.db import models
from django.utils import timezone
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


class Progress(models.Model):
    """Work a background task moves forward, whose page must say when it stopped moving.

    The task sets `beat_at` at every step; while the row's status is one of
    `WORKING`, silence for longer than `SILENT_AFTER` means its worker is likely
    gone (it is taken up again once a lease lapses), and the page says so
    instead of refreshing for good.
    """

    SILENT_AFTER = dt.timedelta(minutes=10)
    WORKING: tuple[str, ...] = ()

    created_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def last_progress(self) -> dt.datetime:
        return self.beat_at or self.created_at

    @property
    def is_stalled(self) -> bool:
        status = getattr(self, "status", "")
        return status in self.WORKING and timezone.now() - self.last_progress > self.SILENT_AFTER
