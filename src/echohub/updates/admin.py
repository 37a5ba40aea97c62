"""Subscribers and their consent records in the admin: read-only, the proof of consent.

Updates are written on their own pages (drafts, scheduling, their email), not here.
"""

from django.contrib import admin
from django.http import HttpRequest

from echohub.updates.models import Consent, Subscriber


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = ["email", "via", "asked_by", "language", "given_at", "confirmed_at"]
    list_filter = ["via", "language"]
    search_fields = ["email"]
    date_hierarchy = "given_at"

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnly):
    list_display = ["address", "frequency", "language", "created_at"]
    list_filter = ["frequency", "language"]
    search_fields = ["address__email"]
    list_select_related = ["address"]
    exclude = ["key"]
