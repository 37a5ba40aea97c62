"""An attendance import as the API shows it: the preview's lines, people named by their
address (never by a row number of ours), and the decisions a caller sends back."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from echohub.accounts.models import User
from echohub.attendance import services
from echohub.attendance.models import AttendanceImport


class PersonBrief(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()


class Choice(PersonBrief):
    score = serializers.IntegerField()


class Line(serializers.Serializer):
    line = serializers.IntegerField(help_text="The line's number, as `decisions` name it.")
    name = serializers.CharField()
    email = serializers.CharField(help_text="As the report gave it (may be empty).")
    role = serializers.CharField()
    minutes = serializers.IntegerField()
    match = serializers.ChoiceField(
        choices=["matched", "ambiguous", "unmatched"],
        help_text="What the matcher found: one person, several who might be, or no one.",
    )
    confidence = serializers.IntegerField()
    person = PersonBrief(allow_null=True)
    choices = Choice(many=True)
    decision = serializers.CharField(
        allow_null=True,
        help_text="What applying would do so far: a person's email, `walk_in`, `ignore`, "
        "or null (still to decide).",
    )


class ImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    status = serializers.ChoiceField(choices=AttendanceImport.Status.choices)
    filename = serializers.CharField()
    platform = serializers.CharField()
    lines_total = serializers.IntegerField()
    lines_done = serializers.IntegerField()
    error = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())
    undecided = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()

    def get_undecided(self, upload: AttendanceImport) -> int:
        """Lines still to decide before the import can be applied."""
        return len(upload.people) - len(services.decisions_so_far(upload))

    @extend_schema_field(Line(many=True))
    def get_lines(self, upload: AttendanceImport) -> list[dict[str, Any]]:
        return lines(upload)


def lines(upload: AttendanceImport) -> list[dict[str, Any]]:
    decisions = services.decisions_so_far(upload)
    ids = {int(d) for d in decisions.values() if d.isdigit()}
    for row in upload.people:
        ids |= {row["person"]} if row["person"] else set()
        ids |= {int(pid) for pid, _score in row["choices"]}
    people = {p.pk: p for p in User.objects.filter(pk__in=ids).only("pk", "name", "email")}

    def brief(pk: int | None) -> dict[str, str] | None:
        person = people.get(pk) if pk else None
        return {"name": person.name, "email": person.email} if person else None

    def shown(decision: str | None) -> str | None:
        if decision is None or not decision.isdigit():
            return decision
        person = people.get(int(decision))
        return person.email if person else None

    return [
        {
            "line": index,
            "name": row["name"],
            "email": row["email"],
            "role": row["role"],
            "minutes": row["minutes"],
            "match": row["status"],
            "confidence": row["confidence"],
            "person": brief(row["person"]),
            "choices": [
                {**(brief(int(pid)) or {"name": "", "email": ""}), "score": score}
                for pid, score in row["choices"]
            ],
            "decision": shown(decisions.get(index)),
        }
        for index, row in enumerate(upload.people)
    ]


class UploadInput(serializers.Serializer):
    report = serializers.FileField(
        help_text="The participant report as Zoom or Microsoft Teams gives it (CSV), or a "
        "CSV with name, email and minutes."
    )
    zone = serializers.CharField(
        required=False,
        max_length=64,
        help_text="The time zone of the report's times (IANA, such as America/Toronto); "
        "the program's when left out.",
    )


class ApplyInput(serializers.Serializer):
    decisions = serializers.DictField(
        child=serializers.CharField(max_length=254),
        required=False,
        help_text="By line number: a person's email, `walk_in` or `ignore`. Lines left out "
        "keep what the preview decided.",
    )


class Applied(serializers.Serializer):
    changed = serializers.IntegerField(help_text="Attendance records written or changed.")
    attendance_import = ImportSerializer(source="upload")


def decisions_from(upload: AttendanceImport, given: dict[str, str]) -> dict[int, str]:
    """The caller's decisions as the service takes them (a person by their row), or a
    ValidationError naming each line that cannot be read or may not go where it says."""
    decisions: dict[int, str] = {}
    errors: dict[str, str] = {}
    for key, value in given.items():
        if not key.isdigit() or int(key) >= len(upload.people):
            errors[key] = _("The report has no line %(line)s.") % {"line": key}
            continue
        index = int(key)
        if value in (services.WALK_IN, services.IGNORE):
            decisions[index] = value
            continue
        person = services.person_for_email(upload, index, value)
        if person is None:
            errors[key] = services.line_refusal(upload.people[index])
        else:
            decisions[index] = str(person)
    if errors:
        raise serializers.ValidationError({"decisions": errors})
    return decisions
