"""Whether EchoHub may call an address a hub gave it (a webhook, a video platform's server).

A hub admin types the address; EchoHub's worker then calls it and shows what
came back. Left open, that would let anyone with a hub reach the machines
beside EchoHub (a cloud's metadata service, a database's web console), so only
https addresses that resolve to public IPs are called, unless the operator
allows private ones for a closed network or tests. The check is made when the
address is saved and again before each call (DNS may have changed).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext as _


def address_refusal(url: str, *, allow_private: bool, private: str) -> str | None:
    """Why EchoHub will not call this address, or None.

    `private` is the message for a private address, with %(host)s in it.
    """
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        return _("The address must start with https://.")
    if not parts.hostname:
        return _("The address has no host name.")
    if allow_private:
        return None
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        return _("No address could be found for %(host)s.") % {"host": parts.hostname}
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_global:
            return private % {"host": parts.hostname}
    return None
