"""allauth's account emails (confirm your address, reset your password) in EchoHub's frame.

They are written by allauth's text templates; this adds what every other
EchoHub email has: the reader's language when the address has an account,
the sender's name, mailing address and contact (CASL), and an HTML part with
the same header band. They go through the outbox like every other email, so a
mail server that is down delays them (with the outbox's retries) instead of
answering the sign-up or password reset page with an error; the worker sends
them at once, and their link or code is removed from the outbox once sent.
"""

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from echohub.accounts.adapter import AccountAdapter, site_identity
from echohub.accounts.models import User
from echohub.outreach.services import queue_prepared, sender_identity


def globals_request() -> Any:
    """The request allauth keeps for the current sign-in flow (its own context)."""
    from allauth.core import context

    return context.request


class BrandedAccountAdapter(AccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        person = User.objects.filter(email__iexact=email).first()
        language = (person.preferred_language if person else "") or translation.get_language()
        with translation.override(language):
            # allauth's own send_mail, but queued instead of sent (its `msg.send()`).
            request = context.get("request") or globals_request()
            full = {"email": email, "current_site": site_identity(), "request": request}
            message = self.render_mail(template_prefix, email, {**full, **context})
        kind = "account." + template_prefix.rsplit("/", 1)[-1]
        queue_prepared(message, kind=kind, person=person, language=(language or "en")[:2])

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        message = super().render_mail(template_prefix, email, context, headers)
        if not isinstance(message, EmailMultiAlternatives) or message.alternatives:
            return message
        frame = {"sender": sender_identity(None), "subject": message.subject}
        text = str(message.body).rstrip()
        message.body = text + "\n" + render_to_string("outreach/email/_footer.txt", frame)
        message.attach_alternative(
            render_to_string("outreach/email/account.html", {**frame, "text": text}), "text/html"
        )
        return message
