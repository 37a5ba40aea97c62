from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from echohub.accounts.auth import signed_in_user
from echohub.accounts.forms import ProfileForm
from echohub.accounts.services import update_profile


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        person = update_profile(form.save(commit=False))
        with translation.override(person.preferred_language):
            messages.success(request, _("Profile saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "staff_roles": user.staff_roles.select_related("hub"),
            "panels": user.program_roles.select_related("program"),
        },
    )
