"""The operations that need a token with a scope: the people of the token's hubs."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from echohub.api import figures, filters
from echohub.api.auth import HasScope, HasToken
from echohub.api.models import ApiToken, Scope
from echohub.api.partner import (
    AttendanceSerializer,
    CertificateSerializer,
    RegistrationSerializer,
    TokenSerializer,
)
from echohub.api.views.base import ApiView
from echohub.attendance.models import Attendance
from echohub.certificates.models import Certificate
from echohub.programs.models import Program
from echohub.registration.models import Registration


@extend_schema(tags=["token"])
class TokenView(ApiView, generics.RetrieveAPIView):
    """The token making the call: whose it is, its scopes and when it expires."""

    permission_classes = [HasToken]
    serializer_class = TokenSerializer

    def get_object(self) -> ApiToken:
        return self.required_token()


class PartnerList(ApiView, generics.ListAPIView):
    permission_classes = [HasScope]
    scope: str = ""
    cursor_ordering = ("pk",)


@extend_schema(tags=["registrations"])
class RegistrationList(PartnerList):
    """Everyone registered, waiting, awaiting approval, declined or cancelled for the
    token's hubs' sessions (`registrations:read`)."""

    scope = Scope.READ_REGISTRATIONS
    serializer_class = RegistrationSerializer
    filterset_class = filters.RegistrationFilter

    def get_queryset(self) -> QuerySet[Registration]:
        return Registration.objects.filter(
            session__program__in=self.staff_programs()
        ).select_related("session__program", "person")


@extend_schema(tags=["attendance"])
class AttendanceList(PartnerList):
    """Who attended the token's hubs' sessions, and for how many minutes
    (`attendance:read`)."""

    scope = Scope.READ_ATTENDANCE
    serializer_class = AttendanceSerializer
    filterset_class = filters.AttendanceFilter

    def get_queryset(self) -> QuerySet[Attendance]:
        return Attendance.objects.filter(session__program__in=self.staff_programs()).select_related(
            "session__program", "person"
        )


@extend_schema(tags=["certificates"])
class CertificateList(PartnerList):
    """Certificates issued for the token's hubs' programs, revoked ones included
    (`certificates:read`)."""

    scope = Scope.READ_CERTIFICATES
    serializer_class = CertificateSerializer
    filterset_class = filters.CertificateFilter

    def get_queryset(self) -> QuerySet[Certificate]:
        return Certificate.objects.filter(program__in=self.staff_programs()).select_related(
            "program", "person"
        )


class ProgramFigures(ApiView):
    """A program of the token's hubs, for its figures."""

    permission_classes = [HasScope]

    def program(self) -> Program:
        programs = self.staff_programs().select_related("hub")
        return get_object_or_404(programs, slug=self.kwargs["slug"])


class ProgramReach(ProgramFigures):
    """A program's reach, as its reach page's headline figures (`reports:read`): sessions
    held, participations, people (new and returning), hours, registered and no-shows,
    retention over its cycles, certificates and credit. As fresh as the reports'
    aggregates (`refreshed_at`)."""

    scope = Scope.READ_REPORTS

    @extend_schema(tags=["reports"], responses={200: figures.ReachSerializer})
    def get(self, request: Request, slug: str) -> Response:
        return Response(figures.ReachSerializer(figures.program_reach(self.program())).data)


class ProgramEvaluation(ProgramFigures):
    """A program's evaluation results (`evaluations:read`): for each phase, who answered
    of those asked, and each question's figures (the share of each answer, the mean and
    median); the change from before to after the series over those who answered both.
    Aggregates only: no free-text answer, and no figure of fewer than five people."""

    scope = Scope.READ_EVALUATIONS

    @extend_schema(tags=["evaluations"], responses={200: figures.EvaluationSerializer})
    def get(self, request: Request, slug: str) -> Response:
        found = figures.program_evaluation(self.program())
        return Response(figures.EvaluationSerializer(found).data)
