"""The outbox in the admin: what went to whom, when, and why a message failed.

Read-only: a message is a record of what was sent; sending again is a new reason.
"""

from django.contrib import admin
from django.http import HttpRequest

from echohub.outreach.models import MailAddress, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to_email", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to_email", "subject", "reason_key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]

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
