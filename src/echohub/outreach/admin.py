"""The outbox in the admin: what went to whom, when, and why a message failed.

Read-only: a message is a record of what was sent. A failed one can be sent
again (the "Send again" action), trying afresh.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from echohub.outreach.models import MailAddress, OutboxMessage
from echohub.outreach.services import resend


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to_email", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to_email", "subject", "reason_key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["send_again"]

    @admin.action(description=_("Send the chosen failed emails again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = resend(queryset)
        self.message_user(request, _("%(count)d failed email(s) queued again.") % {"count": count})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False


@admin.register(MailAddress)
class MailAddressAdmin(admin.ModelAdmin):
    """The suppression list, read-only: an address leaves it only by confirming a subscription."""

    list_display = ["email", "suppressed", "suppressed_at", "suppression_source"]
    list_filter = ["suppressed"]
    search_fields = ["email"]
    exclude = ["token"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MailAddress | None = None) -> bool:
        return False
