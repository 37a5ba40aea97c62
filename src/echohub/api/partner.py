"""What the token operations answer: the people of a hub's programs, as its staff
see them on the registrant, attendance and certificate pages."""

from rest_framework import serializers

from echohub.accounts.models import User
from echohub.api.models import ApiToken, Scope
from echohub.api.serializers import CreditSerializer, HubBrief
from echohub.attendance.models import Attendance
from echohub.certificates.models import Certificate
from echohub.registration.models import Registration
from echohub.registration.services import waitlist_position


class PersonSerializer(serializers.ModelSerializer[User]):
    profession = serializers.CharField(source="profession_id", allow_null=True)
    practice_setting = serializers.CharField(source="practice_setting_id", allow_null=True)
    province = serializers.CharField(source="province_id", allow_null=True)

    class Meta:
        model = User
        fields = [
            "name",
            "email",
            "profession",
            "practice_setting",
            "province",
            "preferred_language",
        ]


class RegistrationSerializer(serializers.ModelSerializer[Registration]):
    session = serializers.IntegerField(source="session_id")
    program = serializers.CharField(source="session.program.slug")
    person = PersonSerializer()

    class Meta:
        model = Registration
        fields = ["session", "program", "person", "status", "queued_at", "created_at", "updated_at"]


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    session = serializers.IntegerField(source="session_id")
    program = serializers.CharField(source="session.program.slug")
    person = PersonSerializer(allow_null=True)
    walk_in = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = [
            "session",
            "program",
            "person",
            "walk_in",
            "role",
            "source",
            "present",
            "minutes",
            "updated_at",
        ]

    def get_walk_in(self, row: Attendance) -> dict[str, str] | None:
        """Someone in the report without an account: the name and address it gave."""
        if row.person_id is not None:
            return None
        return {"name": row.walk_in_name, "email": row.walk_in_email}


class CertificateSerializer(serializers.ModelSerializer[Certificate]):
    program = serializers.CharField(source="program.slug")
    session = serializers.IntegerField(source="session_id", allow_null=True)
    email = serializers.EmailField(source="person.email")
    credits = CreditSerializer(many=True)
    days = serializers.ListField(child=serializers.DateField())

    class Meta:
        model = Certificate
        fields = [
            "code",
            "program",
            "session",
            "person_name",
            "email",
            "licence_number",
            "language",
            "days",
            "minutes",
            "credits",
            "issued_at",
            "revoked_at",
            "revoked_reason",
        ]


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    hub = HubBrief(allow_null=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))

    class Meta:
        model = ApiToken
        fields = ["name", "prefix", "hub", "scopes", "expires_at", "created_at"]


class PersonByEmail(serializers.Serializer):
    """Who: a person with an EchoHub account, by the address they sign in with."""

    email = serializers.EmailField(max_length=254)


class RegistrationAnswer(RegistrationSerializer):
    waitlist_position = serializers.SerializerMethodField()

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "waitlist_position"]

    def get_waitlist_position(self, registration: Registration) -> int | None:
        """Their place on the waiting list (1 is next), when they are on it."""
        return waitlist_position(registration)


class IssuedSerializer(serializers.Serializer):
    issued = CertificateSerializer(many=True)
