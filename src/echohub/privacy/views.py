"""A signed-in person downloads their own data."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.privacy.export import my_data


@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    """A POST (a button on the profile page): a link cannot make someone's browser fetch it."""
    person = signed_in_user(request)
    response = HttpResponse(my_data(person), content_type="application/zip")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="echohub-my-data-{day}.zip"'
    return response
