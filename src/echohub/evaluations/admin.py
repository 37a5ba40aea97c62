"""The admin shows questionnaires and who was asked, read-only; never a response.

Responses are not registered at all: no admin page, list or export may put a
person beside their answers (tests/evaluations/test_anonymity.py).
"""

from django.contrib import admin
from django.http import HttpRequest

from echohub.evaluations.models import Completion, Questionnaire


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnly):
    list_display = ["title_en", "title_fr", "hub", "kind", "created_at"]
    list_filter = ["kind", "hub"]


@admin.register(Completion)
class CompletionAdmin(ReadOnly):
    list_display = ["person", "program", "session", "phase", "status", "closes_at"]
    list_filter = ["phase", "status"]
    raw_id_fields = ["person", "program", "session", "waived_by"]
