"""A person's own evaluation link. (Placeholder until the answering page lands: 404.)"""

from django.http import Http404, HttpRequest, HttpResponse


def answer(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404
