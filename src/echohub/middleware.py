"""Requests refused before any view: a NUL character in the address.

No EchoHub address or query holds a NUL (U+0000), and PostgreSQL refuses it in
any text it is given, so a view that looked it up would answer 500. Refused
here, once, with 400, rather than in every view.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RefuseNulCharacters:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest("A NUL character is not allowed in an address.")
        return self.get_response(request)
