from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from echohub.accounts.forms import ProfileForm
from echohub.accounts.services import update_profile


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        person = update_profile(form.save(commit=False))
        with translation.override(person.preferred_language):
            messages.success(request, _("Profile saved."))
            return redirect("accounts:profile")
    person = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "staff_roles": person.staff_roles.select_related("hub"),  # type: ignore[union-attr]
            "panels": person.program_roles.select_related("program"),  # type: ignore[union-attr]
        },
    )
