from typing import Any

from django.core.management.base import BaseCommand

from echohub.webhooks.services import send_all_due


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (first attempts missed, and retries)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_all_due()
        self.stdout.write(f"{sent} webhook deliveries sent.")
