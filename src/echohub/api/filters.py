"""The filters of each list, as the pages offer them: a value that names nothing
(an unknown province, a date that is not one) is refused with the field named."""

import datetime as dt
from typing import Any

import django_filters as df
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from echohub.certificates.models import Certificate
from echohub.library.models import Resource
from echohub.network.models import Hub
from echohub.programs.catalogue import CatalogueQuery, filter_programs
from echohub.programs.models import Program, Session
from echohub.reference.lists import PRACTICE_SETTINGS, PROFESSIONS, PROVINCES, TOPICS
from echohub.registration.models import Registration

WHEN = [("upcoming", _("With upcoming sessions")), ("past", _("Past only"))]
LANGUAGE = [("en", _("English")), ("fr", _("French"))]


def _codes(rows: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """A reference list's codes, from the lists its migrations load (so the OpenAPI
    document names every code, without reading the database)."""
    return [(code, name_en) for code, name_en, _name_fr in rows]


def _code(rows: list[tuple[str, str, str]], label: Any) -> df.ChoiceFilter:
    return df.ChoiceFilter(choices=_codes(rows), label=label, method="by_catalogue")


ID_RANGE = {"min_value": 1, "max_value": 2**31 - 1}  # a row number, as both engines keep it


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_RANGE["max_value"]})
class IdFilter(df.NumberFilter):
    """A session's number: a whole number (a plain NumberFilter would take 1.5 for 1) that
    fits a row number (a larger one would overflow the engine's integer)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**ID_RANGE, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, kept in UTC: PostgreSQL refuses offsets past ±15:59 that ISO
    allows (+18:15), and a time near year 1 may not exist in UTC at all."""

    def to_python(self, value: Any) -> dt.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class Since(df.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class HubFilter(df.FilterSet):
    province = df.ChoiceFilter(field_name="provinces", choices=_codes(PROVINCES))
    scope = df.ChoiceFilter(choices=Hub.Scope.choices)

    class Meta:
        model = Hub
        fields = ["province", "scope"]


class ProgramFilter(df.FilterSet):
    """The catalogue's own filters (`programs.catalogue.filter_programs`)."""

    q = df.CharFilter(label=_("Search"), max_length=100, method="by_catalogue")
    profession = _code(PROFESSIONS, _("Profession"))
    setting = _code(PRACTICE_SETTINGS, _("Practice setting"))
    province = _code(PROVINCES, _("Province or territory"))
    hub = df.CharFilter(label=_("Hub"), max_length=60, method="by_catalogue")
    language = df.ChoiceFilter(choices=LANGUAGE, label=_("Language"), method="by_catalogue")
    when = df.ChoiceFilter(choices=WHEN, label=_("Sessions"), method="by_catalogue")
    updated_since = Since(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Program
        fields = ["q", "profession", "setting", "province", "hub", "language", "when"]

    def by_catalogue(self, programs: QuerySet[Program], name: str, value: Any) -> QuerySet[Program]:
        return filter_programs(programs, CatalogueQuery(**{name: str(value).strip()}))


class SessionFilter(df.FilterSet):
    program = df.CharFilter(field_name="program__slug", max_length=80)
    hub = df.CharFilter(field_name="program__hub__slug", max_length=60)
    status = df.ChoiceFilter(choices=Session.Status.choices)
    starts_after = Since(field_name="starts_at", lookup_expr="gte")
    starts_before = Since(field_name="starts_at", lookup_expr="lt")
    updated_since = Since(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Session
        fields = ["program", "hub", "status", "starts_after", "starts_before", "updated_since"]


class ResourceFilter(df.FilterSet):
    hub = df.CharFilter(field_name="hub__slug", max_length=60)
    program = df.CharFilter(field_name="program__slug", max_length=80)
    kind = df.ChoiceFilter(choices=Resource.Kind.choices)
    language = df.ChoiceFilter(choices=Resource.Language.choices)
    topic = df.ChoiceFilter(field_name="topics", choices=_codes(TOPICS))
    updated_since = Since(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Resource
        fields = ["hub", "program", "kind", "language", "topic", "updated_since"]


class UpdateFilter(df.FilterSet):
    hub = df.CharFilter(field_name="hub__slug", max_length=60, help_text=_("A hub's short name."))
    network = df.BooleanFilter(
        field_name="hub", lookup_expr="isnull", help_text=_("Updates of the whole network only.")
    )
    published_since = Since(field_name="publish_at", lookup_expr="gte")


class RegistrationFilter(df.FilterSet):
    session = IdFilter(field_name="session_id")
    program = df.CharFilter(field_name="session__program__slug", max_length=80)
    status = df.ChoiceFilter(choices=Registration.Status.choices)
    email = df.CharFilter(field_name="person__email", lookup_expr="iexact", max_length=254)
    updated_since = Since(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Registration
        fields = ["session", "program", "status", "email", "updated_since"]


class AttendanceFilter(df.FilterSet):
    session = IdFilter(field_name="session_id")
    program = df.CharFilter(field_name="session__program__slug", max_length=80)
    email = df.CharFilter(field_name="person__email", lookup_expr="iexact", max_length=254)
    updated_since = Since(field_name="updated_at", lookup_expr="gte")


class CertificateFilter(df.FilterSet):
    program = df.CharFilter(field_name="program__slug", max_length=80)
    session = IdFilter(field_name="session_id")
    email = df.CharFilter(field_name="person__email", lookup_expr="iexact", max_length=254)
    issued_since = Since(field_name="issued_at", lookup_expr="gte")

    class Meta:
        model = Certificate
        fields = ["program", "session", "email", "issued_since"]
