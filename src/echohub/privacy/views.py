"""A signed-in person downloads their own data, or erases their account."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.privacy.erasure import erase_account
from echohub.privacy.export import my_data
from echohub.privacy.forms import EraseForm


@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    """A POST (a button on the profile page): a link cannot make someone's browser fetch it."""
    person = signed_in_user(request)
    response = HttpResponse(my_data(person), content_type="application/zip")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="echohub-my-data-{day}.zip"'
    return response


@login_required
def erase(request: HttpRequest) -> HttpResponse:
    """Asks for the password, then erases the account and signs the person out."""
    person = signed_in_user(request)
    form = EraseForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        erase_account(person)
        logout(request)
        return render(request, "privacy/erased.html")
    return render(request, "privacy/erase.html", {"form": form})
