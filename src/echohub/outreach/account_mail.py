"""allauth's account emails (confirm your address, reset your password) in EchoHub's frame.

They are written by allauth's text templates; this adds what every other
EchoHub email has: the reader's language when the address has an account,
the sender's name, mailing address and contact (CASL), and an HTML part with
the same header band. They are sent at once, not through the outbox: a
person is waiting for the code or link on the page they are on.
"""

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from echohub.accounts.adapter import AccountAdapter
from echohub.accounts.models import User
from echohub.outreach.services import sender_identity


class BrandedAccountAdapter(AccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        person = User.objects.filter(email__iexact=email).only("preferred_language").first()
        language = (person.preferred_language if person else "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

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
