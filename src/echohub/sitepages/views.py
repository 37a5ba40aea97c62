"""The site's own pages, to anyone; their editing, to national admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from echohub.accounts.models import PrivacyNotice
from echohub.sitepages import services
from echohub.sitepages.forms import SitePageForm
from echohub.sitepages.models import SitePage
from echohub.sitepages.permissions import page_editor


def page(request: HttpRequest, key: str) -> HttpResponse:
    found = get_object_or_404(SitePage, key=key)
    notice = PrivacyNotice.current() if key == SitePage.Key.PRIVACY else None
    return render(request, "sitepages/page.html", {"page": found, "notice": notice})


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    page_editor(request)
    return render(request, "sitepages/manage.html", {"pages": SitePage.objects.all()})


@login_required
def edit(request: HttpRequest, key: str) -> HttpResponse:
    user = page_editor(request)
    found = get_object_or_404(SitePage, key=key)
    form = SitePageForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        services.save_page(form.save(commit=False), by=user)
        messages.success(request, _("Page saved."))
        return redirect("sitepages:page", key=found.key)
    return render(request, "sitepages/edit.html", {"form": form, "page": found})
