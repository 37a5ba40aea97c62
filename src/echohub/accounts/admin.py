from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from echohub.accounts.models import PrivacyConsent, PrivacyNotice, User


@admin.register(User)
class PersonAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "profession", "province", "is_national_admin"]
    list_filter = ["is_national_admin", "is_staff", "province", "profession"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "name",
                    "profession",
                    "practice_setting",
                    "province",
                    "spoke",
                    "preferred_language",
                    "timezone",
                )
            },
        ),
        (_("Roles"), {"fields": ("is_national_admin", "is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(admin.ModelAdmin):
    """Consents are evidence: shown, never changed."""

    list_display = ["person", "language", "given_at", "notice", "page"]
    list_filter = ["language", "notice"]
    search_fields = ["person__email"]
    readonly_fields = ["person", "notice", "wording", "language", "page", "given_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PrivacyConsent | None = None
    ) -> bool:
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """Each published text of the privacy notice: written from the Privacy page, never here."""

    list_display = ["version", "published_at", "published_by"]
    readonly_fields = [
        "version",
        "title_en",
        "title_fr",
        "body_en",
        "body_fr",
        "published_at",
        "published_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PrivacyNotice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PrivacyNotice | None = None) -> bool:
        return False
