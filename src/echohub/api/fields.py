"""The shapes every API object shares: texts in both languages, both pages' addresses."""

from typing import Any

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

LANGUAGES = ("en", "fr")


class TextsSerializer(serializers.Serializer[Any]):
    """A text in English and French, side by side; either may be empty."""

    en = serializers.CharField()
    fr = serializers.CharField()


class PagesSerializer(serializers.Serializer[Any]):
    """The object's page on the site, in English and in French."""

    en = serializers.URLField()
    fr = serializers.URLField()


@extend_schema_field(TextsSerializer)
class Bilingual(serializers.Field):
    """`title` → {"en": title_en, "fr": title_fr}."""

    def __init__(self, base: str, **kwargs: Any) -> None:
        self.base = base
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> dict[str, str]:
        return {lang: getattr(value, f"{self.base}_{lang}") for lang in LANGUAGES}


@extend_schema_field(PagesSerializer)
class Pages(serializers.Field):
    """The page of an object in both languages, as full addresses."""

    def __init__(self, name: str, *keys: str, **kwargs: Any) -> None:
        self.name, self.keys = name, keys or ("pk",)
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Model) -> dict[str, str]:
        request = self.context.get("request")
        kwargs = {key: getattr(value, key) for key in self.keys}
        pages = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                path = reverse(self.name, kwargs=kwargs)
            # A webhook's payload is made with no request: the site's own address.
            pages[lang] = (
                request.build_absolute_uri(path)
                if request
                else settings.SITE_URL.rstrip("/") + path
            )
        return pages


def codes(field: str = "") -> serializers.SlugRelatedField:
    """A many-to-many of reference items (provinces, professions…) as their codes."""
    source = {"source": field} if field else {}
    return serializers.SlugRelatedField(slug_field="code", many=True, read_only=True, **source)
