"""What the public operations answer: hubs, programs, sessions, library items,
updates, and a certificate checked by its code. Texts come in both languages."""

from typing import Any

from rest_framework import serializers

from echohub.api.fields import Bilingual, Pages, codes
from echohub.certificates.models import Certificate
from echohub.library.models import Resource
from echohub.network.models import Hub
from echohub.programs.models import Program, Session, Speaker
from echohub.updates.models import Update


class HubBrief(serializers.ModelSerializer[Hub]):
    name = Bilingual("name")

    class Meta:
        model = Hub
        fields = ["slug", "name"]


class HubSerializer(serializers.ModelSerializer[Hub]):
    name = Bilingual("name")
    description = Bilingual("description")
    provinces = codes()
    page = Pages("programs:hub", "slug")

    class Meta:
        model = Hub
        fields = ["slug", "name", "description", "scope", "provinces", "is_lead", "website", "page"]


class ProgramSerializer(serializers.ModelSerializer[Program]):
    hub = HubBrief(read_only=True)
    title = Bilingual("title")
    description = Bilingual("description")
    professions = codes("audience_professions")
    settings = codes("audience_settings")
    provinces = codes()
    page = Pages("programs:program", "slug")

    class Meta:
        model = Program
        fields = [
            "slug",
            "hub",
            "title",
            "description",
            "status",
            "access",
            "languages",
            "timezone",
            "enrolment",
            "requires_approval",
            "certificates",
            "professions",
            "settings",
            "scope",
            "provinces",
            "published_at",
            "updated_at",
            "page",
        ]


class SpeakerSerializer(serializers.ModelSerializer[Speaker]):
    bio = Bilingual("bio")

    class Meta:
        model = Speaker
        fields = ["name", "affiliation", "bio"]


class GroupBrief(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = Bilingual("name")


class SessionSerializer(serializers.ModelSerializer[Session]):
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    hub = serializers.CharField(source="program.hub.slug", read_only=True)
    group = GroupBrief(read_only=True, allow_null=True)
    title = Bilingual("title")
    description = Bilingual("description")
    ends_at = serializers.DateTimeField(read_only=True)
    speakers = SpeakerSerializer(many=True, read_only=True)
    page = Pages("programs:session")

    class Meta:
        model = Session
        fields = [
            "id",
            "program",
            "hub",
            "group",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "status",
            "capacity",
            "registration_open",
            "speakers",
            "updated_at",
            "page",
        ]


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    session = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    title = Bilingual("title")
    description = Bilingual("description")
    topics = codes()
    page = Pages("library:resource", "key")

    class Meta:
        model = Resource
        fields = [
            "key",
            "kind",
            "hub",
            "program",
            "session",
            "title",
            "description",
            "language",
            "topics",
            "visibility",
            "url",
            "created_at",
            "updated_at",
            "page",
        ]


class UpdateSerializer(serializers.ModelSerializer[Update]):
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    title = Bilingual("title")
    body = Bilingual("body")
    page = Pages("updates:detail", "pk", "slug")

    class Meta:
        model = Update
        fields = ["id", "hub", "title", "body", "publish_at", "updated_at", "page"]


class CreditSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    label = Bilingual("label")
    amount = serializers.CharField()
    body = serializers.CharField()
    number = serializers.CharField()
    statement = Bilingual("statement")
    expires = serializers.DateField(allow_null=True)

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": instance.get("type", ""),
            "label": {"en": instance.get("label_en", ""), "fr": instance.get("label_fr", "")},
            "amount": str(instance.get("amount", "")),
            "body": instance.get("body", ""),
            "number": instance.get("number", ""),
            "statement": {
                "en": instance.get("statement_en", ""),
                "fr": instance.get("statement_fr", ""),
            },
            "expires": instance.get("expires") or None,
        }


class VerifiedCertificate(serializers.ModelSerializer[Certificate]):
    """What the public verification page states, and nothing more."""

    state = serializers.SerializerMethodField()
    activity = Bilingual("activity")
    hub = Bilingual("hub")
    days = serializers.ListField(child=serializers.DateField(), read_only=True)
    credits = CreditSerializer(many=True, read_only=True)
    replaced_by = serializers.SerializerMethodField()
    page = Pages("certificates:verify", "code")

    class Meta:
        model = Certificate
        fields = [
            "code",
            "state",
            "person_name",
            "activity",
            "hub",
            "days",
            "minutes",
            "credits",
            "issued_at",
            "revoked_at",
            "replaced_by",
            "page",
        ]

    def get_state(self, certificate: Certificate) -> str:
        """`valid`, or `revoked` (with `replaced_by` when a corrected one was issued)."""
        return "revoked" if certificate.is_revoked else "valid"

    def get_replaced_by(self, certificate: Certificate) -> str | None:
        replacement = getattr(certificate, "replaced_by", None)
        return replacement.code if replacement is not None else None
