from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from echohub.accounts.models import User


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
