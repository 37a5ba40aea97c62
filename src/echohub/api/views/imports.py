"""Attendance from a participant report, in two calls as on the pages: send the report
and read its preview (the same parser and matcher), then apply it."""

import logging

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from echohub.api.auth import HasScope
from echohub.api.idempotency import idempotent
from echohub.api.imports import Applied, ApplyInput, ImportSerializer, UploadInput, decisions_from
from echohub.api.models import Scope
from echohub.api.views.base import ApiView
from echohub.api.views.writes import WRITE_ANSWERS, Conflict, SessionWrite
from echohub.attendance import services
from echohub.attendance.forms import UploadForm
from echohub.attendance.models import AttendanceImport

log = logging.getLogger(__name__)


class SendReport(SessionWrite):
    """Send a session's participant report. It is read by the task worker: the answer
    (202) is the import, `reading` until its preview is ready (poll it), or already
    `preview` when read at once. A file that cannot be read is refused (400) and kept
    nowhere."""

    scope = Scope.WRITE_ATTENDANCE
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["attendance"],
        request={"multipart/form-data": UploadInput},
        responses={202: ImportSerializer, **WRITE_ANSWERS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        session = self.session()
        zone = session.program.timezone
        form = UploadForm({"zone": request.data.get("zone") or zone}, request.FILES, zone=zone)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        report = form.cleaned_data["report"]
        upload = services.receive_report(
            session,
            report.read(),
            filename=report.name,
            by=self.required_token().created_by,
            report_zone=form.cleaned_data["zone"],
        )
        upload.refresh_from_db()
        if upload.status == AttendanceImport.Status.FAILED:
            error = upload.error
            upload.delete()
            raise exceptions.ValidationError({"report": [error]})
        log.info("%s sent attendance report %s", self.via, upload.pk)
        return Response(ImportSerializer(upload).data, status=202)


class TokenImports(ApiView):
    permission_classes = [HasScope]
    scope = Scope.WRITE_ATTENDANCE

    def get_queryset(self) -> QuerySet[AttendanceImport]:
        imports = AttendanceImport.objects.filter(session__program__in=self.staff_programs())
        return imports.select_related("session")


@extend_schema(tags=["attendance"])
class ImportDetail(TokenImports, generics.RetrieveAPIView):
    """An import: how far its reading got, then its preview, line by line, with what
    applying would do so far."""

    serializer_class = ImportSerializer


class ApplyImport(TokenImports):
    """Apply a previewed import. Lines not named in `decisions` keep the preview's: a
    person matched by email or name, a walk-in for a line without an email. Every line
    must be settled: otherwise 409 names those left, and nothing is written."""

    @extend_schema(
        tags=["attendance"],
        request=ApplyInput,
        responses={200: Applied, **WRITE_ANSWERS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        upload = get_object_or_404(self.get_queryset(), pk=pk)
        if upload.status != AttendanceImport.Status.PREVIEW:
            raise Conflict(_("This report was already applied or discarded."))
        given = ApplyInput(data=request.data)
        given.is_valid(raise_exception=True)
        decisions = {
            **services.decisions_so_far(upload),
            **decisions_from(upload, given.validated_data.get("decisions", {})),
        }
        try:
            changed = services.apply_import(upload, decisions, by=self.required_token().created_by)
        except services.AttendanceError as error:
            raise Conflict(str(error)) from None
        upload.refresh_from_db()
        log.info("API token %s applied attendance report %s", self.required_token().pk, upload.pk)
        return Response(Applied({"changed": changed, "upload": upload}).data)
