"""The unsubscribe page: no sign-in, one button, effective at once.

The link in an email's footer opens a page with one button rather than
unsubscribing on the GET itself: hospital mail filters open every link in a
message to scan it, and would unsubscribe people who never clicked. A mail
client's own "Unsubscribe" button (RFC 8058) POSTs `List-Unsubscribe=One-Click`
to the same address, which unsubscribes without any page; it carries no CSRF
token, and needs none: the token in the address is the authority, and the
only thing it can do is stop email.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from echohub.outreach import services
from echohub.outreach.models import MailAddress


@csrf_exempt
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    address = MailAddress.objects.filter(token=token).first()
    if address is None:
        return render(request, "outreach/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        address = (
            services.unsubscribe(
                token, source="one-click header" if one_click else "unsubscribe page"
            )
            or address
        )
        if one_click:
            return HttpResponse(status=200)
        return render(request, "outreach/unsubscribed.html", {"address": address})
    if address.suppressed:
        return render(request, "outreach/unsubscribed.html", {"address": address})
    return render(request, "outreach/unsubscribe.html", {"address": address})
