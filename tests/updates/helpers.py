"""Subscribing as a visitor does, through the pages: the form, the email, the link."""

import re
from typing import Any

from django.core import mail
from django.test import Client

from echohub.updates.models import Subscriber

LINK = re.compile(r"https?://\S+/(?:stay-informed/confirm|restez-informe/confirmer)/([^/\s]+)/")


def subscribe(client: Client, email: str, committed: Any, **fields: Any) -> str:
    """Post the form, return the confirmation token from the email it sent."""
    data = {"email": email, "language": "en", "frequency": "weekly", "consent": "on", **fields}
    before = len(mail.outbox)
    with committed():
        response = client.post("/en/stay-informed/", data, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == before + 1
    found = LINK.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def confirm(client: Client, token: str, language: str = "en") -> Subscriber:
    path = "/en/stay-informed/confirm/" if language == "en" else "/fr/restez-informe/confirmer/"
    response = client.post(f"{path}{token}/")
    assert response.status_code == 200, response.content.decode()[:500]
    return Subscriber.objects.get(address__email=mail.outbox[-1].to[0])
