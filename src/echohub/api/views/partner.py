"""The operations that need a token with a scope: the people of the token's hubs."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from echohub.api import filters
from echohub.api.auth import HasScope, HasToken
from echohub.api.models import ApiToken, Scope
from echohub.api.partner import (
    AttendanceSerializer,
    CertificateSerializer,
    RegistrationSerializer,
    TokenSerializer,
)
from echohub.api.permissions import staff_programs
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

    def staff_programs(self) -> QuerySet[Program]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Program.objects.none()
        return staff_programs(self.required_token())


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
