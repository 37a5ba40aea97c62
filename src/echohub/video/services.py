"""Connecting a hub to a video platform, and testing the connection.

Every call to a platform is made by the task worker, never in a request: a
test is queued (`test`), run (`run_check`) and its finding kept on the
connection for the page to show. Secrets go in sealed and come out only
for a client (`secrets_of`); no log line and no page carries them.
"""

import json
import logging
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub import sealing
from echohub.accounts.models import User
from echohub.network.models import Hub
from echohub.programs.models import Program
from echohub.video import platforms
from echohub.video.models import Connection, Platform, ProgramVideo
from echohub.video.platforms.base import Problem, address_refusal

log = logging.getLogger(__name__)


def secrets_of(connection: Connection) -> dict[str, str]:
    return dict(json.loads(sealing.unseal(connection.sealed)))


def _seal(values: Mapping[str, str]) -> str:
    return sealing.seal(json.dumps(dict(values)))


def _url_refusal(platform: str, options: Mapping[str, str]) -> None:
    for spec in platforms.described(platform).plain:
        if spec.url and (url := options.get(spec.name, "")) and (refusal := address_refusal(url)):
            raise ValidationError({spec.name: refusal})


def _split(platform: str, values: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    described = platforms.described(platform)
    options = {f.name: values[f.name].strip() for f in described.plain}
    secrets = {f.name: values[f.name] for f in described.secrets if values.get(f.name)}
    return options, secrets


@transaction.atomic
def connect(
    hub: Hub, platform: str, name: str, values: Mapping[str, str], *, by: User
) -> Connection:
    """A new connection, tested at once by the worker; raises ValidationError."""
    options, secrets = _split(platform, values)
    _url_refusal(platform, options)
    if Connection.objects.filter(hub=hub, name=name).exists():
        raise ValidationError({"name": _("This hub already has a connection of this name.")})
    connection = Connection.objects.create(
        hub=hub,
        platform=Platform(platform),
        name=name,
        options=options,
        sealed=_seal(secrets),
        created_by=by,
    )
    log.info(
        "video connection %s (%s) made for hub %s by %s", connection.pk, platform, hub.pk, by.pk
    )
    test(connection, by=by)
    return connection


@transaction.atomic
def change(connection: Connection, name: str, values: Mapping[str, str], *, by: User) -> None:
    """New settings; a secret left blank keeps the one saved. Tested again at once."""
    options, secrets = _split(connection.platform, values)
    _url_refusal(connection.platform, options)
    if Connection.objects.filter(hub=connection.hub, name=name).exclude(pk=connection.pk).exists():
        raise ValidationError({"name": _("This hub already has a connection of this name.")})
    # What a test learnt (a checksum's algorithm) stands until the settings change.
    changed = bool(secrets) or any(connection.options.get(k) != v for k, v in options.items())
    learnt = {} if changed else {k: v for k, v in connection.options.items() if k not in options}
    connection.name = name
    connection.options = {**learnt, **options}
    connection.sealed = _seal({**secrets_of(connection), **secrets})
    connection.save()
    log.info("video connection %s changed by %s", connection.pk, by.pk)
    test(connection, by=by)


def test(connection: Connection, *, by: User) -> None:
    """Queue a test of the connection; the page shows it as being tested until it ran."""
    from echohub.video import tasks  # the task module imports this one

    Connection.objects.filter(pk=connection.pk).update(
        check_status=Connection.Check.TESTING, check_problem="", check_detail=""
    )
    connection.check_status = Connection.Check.TESTING
    tasks.check_connection.enqueue(connection.pk)
    log.info("video connection %s: test queued by %s", connection.pk, by.pk)


def run_check(connection_id: int) -> Connection | None:
    """Sign in to the platform and make the calls meetings need; keep what was found."""
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None:
        return None
    try:
        checked = platforms.client(connection).check()
    except Problem as problem:
        connection.check_status = Connection.Check.FAILED
        connection.check_problem, connection.check_detail = problem.code, problem.detail
        log.info("video connection %s: test failed (%s)", connection.pk, problem.code)
    else:
        connection.check_status = Connection.Check.WORKS
        connection.check_problem, connection.check_detail = "", checked.found[:500]
        connection.options = {**connection.options, **checked.options}
        log.info("video connection %s: test passed", connection.pk)
    connection.checked_at = timezone.now()
    connection.save(
        update_fields=["check_status", "check_problem", "check_detail", "checked_at", "options"]
    )
    return connection


@transaction.atomic
def disconnect(connection: Connection, *, by: User) -> None:
    """Forget a connection; its programs make no more meetings (those made stay)."""
    log.info("video connection %s deleted by %s", connection.pk, by.pk)
    connection.delete()


@transaction.atomic
def use(
    program: Program,
    connection: Connection | None,
    *,
    by: User,
    auto_apply: bool = False,
    fetch_after_minutes: int = 20,
    recording_visibility: str = "members",
) -> ProgramVideo | None:
    """The program's sessions get their meetings on this connection (None: no longer).

    Every session to come follows at once: meetings are made, or removed, by the worker.
    """
    from echohub.video import meetings

    current = ProgramVideo.objects.filter(program=program).first()
    if connection is None:
        if current is not None:
            current.delete()
            log.info("program %s stops making meetings, by %s", program.pk, by.pk)
            meetings.follow_program(program)
        return None
    if connection.hub_id != program.hub_id:
        raise ValidationError({"connection": _("Choose one of this program's hub's platforms.")})
    video, _created = ProgramVideo.objects.update_or_create(
        program=program,
        defaults={
            "connection": connection,
            "auto_apply": auto_apply,
            "fetch_after_minutes": fetch_after_minutes,
            "recording_visibility": recording_visibility,
            "set_by": by,
        },
    )
    log.info("program %s makes meetings on connection %s, by %s", program.pk, connection.pk, by.pk)
    meetings.follow_program(program)
    return video


def reseal_all() -> int:
    """Seal every connection's secrets again under the first of SECRETS_KEYS; how many."""
    count = 0
    for connection in Connection.objects.only("pk", "sealed").iterator():
        Connection.objects.filter(pk=connection.pk).update(sealed=sealing.reseal(connection.sealed))
        count += 1
    return count
