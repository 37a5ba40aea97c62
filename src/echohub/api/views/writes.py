"""The token operations that change something, through the same services as the pages:
registering and cancelling a person, issuing a session's certificates."""

import logging

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from echohub.accounts.models import User
from echohub.api.auth import HasScope
from echohub.api.idempotency import idempotent
from echohub.api.models import Scope
from echohub.api.partner import IssuedSerializer, PersonByEmail, RegistrationAnswer
from echohub.api.views.base import ApiView
from echohub.certificates import services as certificate_services
from echohub.network.services import NO_ACCOUNT
from echohub.programs.models import Session
from echohub.registration import services as registration_services
from echohub.registration.models import Registration

log = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    """The request is understood, but the object's state refuses it (the pages' message)."""

    status_code = 409
    default_detail = "Conflict."
    default_code = "conflict"


class SessionWrite(ApiView):
    permission_classes = [HasScope]

    def get_queryset(self) -> QuerySet[Session]:
        sessions = Session.objects.filter(program__in=self.staff_programs())
        return sessions.select_related("program__hub")

    def session(self) -> Session:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def person(self, request: Request) -> User:
        given = PersonByEmail(data=request.data)
        given.is_valid(raise_exception=True)
        person = User.objects.filter(email__iexact=given.validated_data["email"]).first()
        if person is None:
            raise exceptions.NotFound(str(NO_ACCOUNT))
        return person

    @property
    def via(self) -> str:
        return f"API token {self.required_token().pk}"


WRITE_ANSWERS = {
    404: OpenApiResponse(description="No such session of the token's hubs, or no such person."),
    409: OpenApiResponse(description="Refused, with the page's own reason (`detail`)."),
    422: OpenApiResponse(description="The Idempotency-Key was used for another request."),
}


class Register(SessionWrite):
    """Register a person for a session, as they would on its page: confirmed while seats
    last, then on the waiting list (awaiting approval where the program approves first).
    Registering someone already registered changes nothing and answers 200."""

    scope = Scope.WRITE_REGISTRATIONS

    @extend_schema(
        tags=["registrations"],
        request=PersonByEmail,
        responses={200: RegistrationAnswer, 201: RegistrationAnswer, **WRITE_ANSWERS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        session, person = self.session(), self.person(request)
        already = Registration.objects.filter(
            session=session, person=person, status__in=Registration.ACTIVE
        ).exists()
        try:
            registration = registration_services.register(person, session)
        except registration_services.RegistrationRefused as refused:
            raise Conflict(" ".join(refused.messages)) from None
        log.info("%s registered person %s for session %s", self.via, person.pk, session.pk)
        answer = RegistrationAnswer(registration).data
        return Response(answer, status=200 if already else 201)


class Cancel(SessionWrite):
    """Cancel a person's registration, as they would from their page: they are told by
    email, and a freed seat goes to the first on the waiting list. Cancelling again
    answers the cancelled registration."""

    scope = Scope.WRITE_REGISTRATIONS

    @extend_schema(
        tags=["registrations"],
        request=PersonByEmail,
        responses={200: RegistrationAnswer, **WRITE_ANSWERS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        session, person = self.session(), self.person(request)
        registration = Registration.objects.filter(session=session, person=person).first()
        if registration is None:
            raise exceptions.NotFound(_("This person is not registered for this session."))
        if registration.is_active:
            registration_services.cancel(registration, via=self.via)
            registration.refresh_from_db()
        return Response(RegistrationAnswer(registration).data)


class IssueCertificates(SessionWrite):
    """Issue the session's certificates to everyone who attended enough and has none yet
    (the coordinator's "Issue certificates"); those issued before are not issued again."""

    scope = Scope.WRITE_CERTIFICATES

    @extend_schema(
        tags=["certificates"], request=None, responses={200: IssuedSerializer, **WRITE_ANSWERS}
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        session = self.session()
        token = self.required_token()
        try:
            issued = certificate_services.issue_for_session(session, by=token.created_by)
        except certificate_services.CertificateError as error:
            raise Conflict(str(error)) from None
        log.info("%s issued %s certificates for session %s", self.via, len(issued), session.pk)
        return Response(IssuedSerializer({"issued": issued}).data)
