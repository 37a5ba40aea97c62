"""One thin client per video platform, behind one interface (`base.Client`).

Each platform's module holds everything that knows that platform: the fields a
hub admin fills in, the calls, and the mapping of its answers to EchoHub's
words. A change in a vendor's API touches that one file.
"""

from echohub.sealing import Unsealable
from echohub.video.models import Connection, Platform
from echohub.video.platforms import bigbluebutton, teams, zoom
from echohub.video.platforms.base import Client, Described, Problem

MODULES = {
    Platform.ZOOM: zoom,
    Platform.TEAMS: teams,
    Platform.BIGBLUEBUTTON: bigbluebutton,
}


def described(platform: str) -> Described:
    return MODULES[Platform(platform)].DESCRIBED


def client(connection: Connection) -> Client:
    """The platform's client for this connection, its secrets unsealed for the call."""
    from echohub.video import services  # the services read and write connections

    module = MODULES[Platform(connection.platform)]
    try:
        secrets = services.secrets_of(connection)
    except Unsealable as error:
        raise Problem(
            "credentials", "The saved secrets open with none of SECRETS_KEYS: enter them again."
        ) from error
    return module.Client(connection.pk, connection.options, secrets)
