"""What every API view shares: times in UTC, rate-limit headers, the caller's token."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, generics
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from echohub.api.auth import token_of
from echohub.api.models import ApiToken
from echohub.api.permissions import staff_programs
from echohub.api.problems import problem
from echohub.programs.models import Program


class ApiView(generics.GenericAPIView):
    # The attribute each list's cursor sorts by (`api.pagination.Cursor`).
    cursor_ordering: tuple[str, ...] = ("pk",)

    @property
    def token(self) -> ApiToken | None:
        return token_of(self.request)

    def required_token(self) -> ApiToken:
        """The token of an operation that needs one (its permission asked already)."""
        token = self.token
        if token is None:
            raise exceptions.NotAuthenticated
        return token

    def staff_programs(self) -> QuerySet[Program]:
        """The programs whose people and figures the calling token reads."""
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Program.objects.none()
        return staff_programs(self.required_token())

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # ISO 8601 in UTC ("…Z"), whatever zone a reader's cookie would choose.
        timezone.activate(dt.UTC)
        super().initial(request, *args, **kwargs)

    def finalize_response(
        self, request: Request, response: HttpResponse, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in getattr(request._request, "ratelimit", {}).items():
            response[header] = value
        response.setdefault("Cache-Control", "no-store")
        return response


@csrf_exempt  # the API reads no cookie: a POST here is answered like a GET, with a 404
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """An address under /api/ that names no operation: a problem, not an HTML page."""
    response: Response = problem(404, _("No operation has this address."), instance=request.path)
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/problem+json"
    response.renderer_context = {}
    return response.render()
