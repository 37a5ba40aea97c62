"""The operations anyone may call, with or without a token: what the public pages show.

With a token, the lists add what its hub's staff see (its drafts, unlisted
programs and programs by invitation, its members-only library items).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from echohub.api import filters
from echohub.api.permissions import api_listed_programs, api_reachable_programs, token_hubs
from echohub.api.serializers import (
    HubSerializer,
    ProgramSerializer,
    ResourceSerializer,
    SessionSerializer,
    UpdateSerializer,
    VerifiedCertificate,
)
from echohub.api.views.base import ApiView
from echohub.certificates.models import Certificate, normalise_code
from echohub.library.models import Resource
from echohub.library.permissions import visible_resources
from echohub.network.models import Hub
from echohub.programs.models import Program, Session
from echohub.updates.models import Update

PROGRAM_PREFETCH = ("audience_professions", "audience_settings", "provinces")


@extend_schema(tags=["hubs"])
class HubList(ApiView, generics.ListAPIView):
    """The network's hubs."""

    serializer_class = HubSerializer
    filterset_class = filters.HubFilter
    cursor_ordering = ("slug",)
    queryset = Hub.objects.prefetch_related("provinces")


@extend_schema(tags=["hubs"])
class HubDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = HubSerializer
    lookup_field = "slug"
    queryset = Hub.objects.prefetch_related("provinces")


@extend_schema(tags=["programs"])
class ProgramList(ApiView, generics.ListAPIView):
    """Programs as the catalogue lists them, with its filters."""

    serializer_class = ProgramSerializer
    filterset_class = filters.ProgramFilter
    cursor_ordering = ("slug",)

    def get_queryset(self) -> QuerySet[Program]:
        return (
            api_listed_programs(self.token)
            .select_related("hub")
            .prefetch_related(*PROGRAM_PREFETCH)
        )


@extend_schema(tags=["programs"])
class ProgramDetail(ApiView, generics.RetrieveAPIView):
    """A program its page would show: listed or unlisted (by its address)."""

    serializer_class = ProgramSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Program]:
        return (
            api_reachable_programs(self.token)
            .select_related("hub")
            .prefetch_related(*PROGRAM_PREFETCH)
        )


def _sessions(programs: QuerySet[Program]) -> QuerySet[Session]:
    return (
        Session.objects.filter(program__in=programs)
        .select_related("program__hub", "group")
        .prefetch_related("speakers")
    )


@extend_schema(tags=["sessions"])
class SessionList(ApiView, generics.ListAPIView):
    """Sessions of the listed programs, soonest first; `starts_after` and `starts_before`
    take ISO 8601 times (a month's: `starts_after=2027-01-01T00:00:00Z&starts_before=…`)."""

    serializer_class = SessionSerializer
    filterset_class = filters.SessionFilter
    cursor_ordering = ("starts_at", "pk")

    def get_queryset(self) -> QuerySet[Session]:
        return _sessions(api_listed_programs(self.token))


@extend_schema(tags=["sessions"])
class SessionDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = SessionSerializer

    def get_queryset(self) -> QuerySet[Session]:
        return _sessions(api_reachable_programs(self.token))


def _resources(view: ApiView) -> QuerySet[Resource]:
    visible = Q(pk__in=visible_resources(AnonymousUser()).values("pk"))
    if view.token is not None:
        visible |= Q(hub__in=token_hubs(view.token))
    return (
        Resource.objects.filter(visible).select_related("hub", "program").prefetch_related("topics")
    )


@extend_schema(tags=["library"])
class ResourceList(ApiView, generics.ListAPIView):
    """The library's items for everyone, newest first (with a token, its hub's others too)."""

    serializer_class = ResourceSerializer
    filterset_class = filters.ResourceFilter
    cursor_ordering = ("-created_at", "-pk")

    def get_queryset(self) -> QuerySet[Resource]:
        return _resources(self)


@extend_schema(tags=["library"])
class ResourceDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = ResourceSerializer
    lookup_field = "key"

    def get_queryset(self) -> QuerySet[Resource]:
        return _resources(self)


@extend_schema(tags=["updates"])
class UpdateList(ApiView, generics.ListAPIView):
    """Published updates of the hubs and the network, newest first; `body` is Markdown."""

    serializer_class = UpdateSerializer
    filterset_class = filters.UpdateFilter
    cursor_ordering = ("-publish_at", "-pk")
    queryset = Update.objects.published().select_related("hub")


@extend_schema(tags=["updates"])
class UpdateDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = UpdateSerializer
    queryset = Update.objects.published().select_related("hub")


@extend_schema(tags=["certificates"])
class CertificateVerify(ApiView, generics.RetrieveAPIView):
    """What a certificate states, found by its code however it is typed (spaces, dashes,
    case), or that it was revoked; the public verification page's answer."""

    serializer_class = VerifiedCertificate
    lookup_field = "code"

    def get_object(self) -> Certificate:
        code = normalise_code(self.kwargs["code"])
        certificate = Certificate.objects.select_related("replaced_by").filter(code=code).first()
        if certificate is None:
            raise Http404
        return certificate
