"""The discussion spaces' pages: a space's threads, a thread and its replies, writing,
marking, reporting, following; and the moderators' queue and log."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.community import permissions, services
from echohub.community.forms import (
    EditForm,
    FollowForm,
    ModerationForm,
    ReplyForm,
    ReportForm,
    SettingsForm,
    ThreadForm,
)
from echohub.community.models import (
    Follow,
    Helpful,
    ModerationAction,
    Post,
    Report,
    Space,
    confirmations,
)
from echohub.programs.models import Program
from echohub.programs.permissions import can_manage_program
from echohub.questionnaires.forms import GatedForm

Gated = TypeVar("Gated", bound=GatedForm)
THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 50


def _language(request: HttpRequest) -> str:
    return "fr" if request.LANGUAGE_CODE == "fr" else "en"


def _at(post: Post) -> str:
    """The post in its thread's page."""
    return f"{post.thread.get_absolute_url()}#post-{post.pk}"


def _redacted(
    request: HttpRequest, form: Gated, again: Callable[[QueryDict], Gated]
) -> Gated | None:
    """The form made again with each finding replaced by a placeholder, when the writer
    pressed "Replace the marked parts" and the gate found something; else None."""
    if "redact" not in request.POST or form.is_valid() or not form.findings:
        return None
    redone = again(form.redacted_data())
    redone.is_valid()
    return redone


def _follow_form(person: User, **followed: object) -> FollowForm:
    """What this person chose for the thread or space (nothing until they choose)."""
    follow = Follow.objects.filter(person=person, **followed).first()
    return FollowForm(initial={"how": follow.how if follow else Follow.How.NONE})


@login_required
def space(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """A space's threads, pinned first then the latest activity; a form to start one."""
    person = signed_in_user(request)
    found = permissions.get_space_for(person, slug, pk)
    program = found.program
    form = ThreadForm(
        request.POST or None,
        request.FILES or None,
        program=program,
        initial={"language": _language(request)},
    )
    if request.method == "POST":
        if redone := _redacted(request, form, lambda data: ThreadForm(data, program=program)):
            form = redone
        elif form.is_valid():
            data = form.cleaned_data
            try:
                thread = services.start_thread(
                    found,
                    person,
                    title=data["title"],
                    body=data["body"],
                    language=data["language"],
                    kind=data["kind"],
                    case_id=data.get("case"),
                    confirmed=form.confirmations(),
                    shared=services.Shared(
                        link=data.get("link") or "",
                        upload=data.get("file"),
                        kind=data.get("resource_kind") or "tool",
                    ),
                )
            except services.Refused as refused:
                form.add_error(None, refused)
            else:
                if thread.hidden:
                    messages.success(
                        request,
                        _("Your thread awaits a moderator's approval before others see it."),
                    )
                else:
                    messages.success(request, _("Your thread is posted."))
                return redirect(thread)
    moderator = permissions.moderates(person, program)
    threads = found.threads.select_related("author", "case").order_by(
        "-pinned", "-last_post_at", "-pk"
    )
    if not moderator:
        threads = threads.filter(hidden=False)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    settings = permissions.settings_of(program)
    groups = []
    if settings.group_spaces:
        groups = [
            g
            for g in program.groups.all()
            if permissions.may_enter(person, Space(program=program, group=g))
        ]
    return render(
        request,
        "community/space.html",
        {
            "space": found,
            "program": program,
            "page": page,
            "form": form,
            "highlights": form.highlights() if form.is_bound else {},
            "moderator": moderator,
            "groups": groups,
            "follow_form": _follow_form(person, space=found),
        },
        status=422 if form.is_bound else 200,
    )


@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    person = signed_in_user(request)
    found = permissions.get_thread_for(person, pk)
    program = found.space.program
    moderator = permissions.moderates(person, program)
    form = ReplyForm(request.POST or None, initial={"language": _language(request)})
    if request.method == "POST":
        if redone := _redacted(request, form, ReplyForm):
            form = redone
        elif form.is_valid():
            try:
                post = services.reply(
                    found,
                    person,
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                    confirmed=form.confirmations(),
                )
            except services.Refused as refused:
                form.add_error(None, refused)
            else:
                if post.status == Post.Status.HELD:
                    messages.success(request, _("Your reply awaits a moderator's approval."))
                else:
                    messages.success(request, _("Your reply is posted."))
                return redirect(f"{found.get_absolute_url()}?page=last#post-{post.pk}")
    posts = found.posts.select_related("author").order_by("created_at", "pk")
    if not moderator:
        posts = posts.filter(status=Post.Status.VISIBLE) | posts.filter(author=person)
    paginator = Paginator(posts, POSTS_PER_PAGE)
    wanted = request.GET.get("page")
    page = paginator.get_page(paginator.num_pages if wanted == "last" else wanted)
    shown = list(page.object_list)
    marked = set(
        Helpful.objects.filter(person=person, post__in=[p.pk for p in shown]).values_list(
            "post_id", flat=True
        )
    )
    context: dict[str, Any] = {
        "thread": found,
        "space": found.space,
        "program": program,
        "page": page,
        "posts": shown,
        "marked": marked,
        "form": form,
        "highlights": form.highlights() if form.is_bound else {},
        "moderator": moderator,
        "panel": permissions.on_panel(person, program),
        "follow_form": _follow_form(person, thread=found),
        "spaces": Space.objects.filter(program=program)
        .exclude(pk=found.space_id)
        .select_related("group")
        if moderator
        else [],
    }
    return render(request, "community/thread.html", context, status=422 if form.is_bound else 200)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = signed_in_user(request)
    post = permissions.get_post_for(person, pk)
    if post.author_id != person.pk:
        raise Http404
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST":
        if redone := _redacted(request, form, EditForm):
            form = redone
        elif form.is_valid():
            services.edit(
                post, person, body=form.cleaned_data["body"], confirmed=form.confirmations()
            )
            messages.success(request, _("Your post is saved."))
            return redirect(_at(post))
    return render(
        request,
        "community/edit.html",
        {
            "post": post,
            "thread": post.thread,
            "form": form,
            "highlights": form.highlights() if form.is_bound else {},
            # What the writer confirmed before stays confirmed while the text before it is
            # unchanged (the form posts these tokens back).
            "kept_confirmations": []
            if form.is_bound
            else [c.token for c in confirmations(post.confirmed)],
        },
        status=422 if form.is_bound else 200,
    )


@login_required
@require_POST
def helpful(request: HttpRequest, pk: int) -> HttpResponse:
    person = signed_in_user(request)
    post = permissions.get_post_for(person, pk)
    try:
        services.mark_helpful(post, person)
    except services.Refused as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(_at(post))


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    person = signed_in_user(request)
    post = permissions.get_post_for(person, pk)
    try:
        services.mark_answer(post, person)
    except services.Refused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Marked as the panel's answer."))
    return redirect(_at(post))


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    person = signed_in_user(request)
    post = permissions.get_post_for(person, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report(post, person, form.cleaned_data["reason"])
        messages.success(request, _("Thank you: a moderator will look at it."))
        return redirect(_at(post))
    return render(
        request,
        "community/report.html",
        {
            "post": post,
            "thread": post.thread,
            "form": form,
            "highlights": form.highlights() if form.is_bound else {},
        },
        status=422 if form.is_bound else 200,
    )


@login_required
@require_POST
def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    person = signed_in_user(request)
    form = FollowForm(request.POST)
    if not form.is_valid():
        raise Http404
    how = form.cleaned_data["how"]
    if kind == "thread":
        found = permissions.get_thread_for(person, pk)
        services.follow(person, how, thread=found)
        back = found.get_absolute_url()
    elif kind == "space":
        found_space = get_object_or_404(Space.objects.select_related("program", "group"), pk=pk)
        if not permissions.may_enter(person, found_space):
            raise Http404
        services.follow(person, how, space=found_space)
        back = found_space.get_absolute_url()
    else:
        raise Http404
    messages.success(request, _("Saved: %(how)s.") % {"how": Follow.How(how).label})
    return redirect(back)


@login_required
@require_POST
def moderate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    person = signed_in_user(request)
    if kind == "post":
        post = permissions.get_post_for(person, pk)
        target_thread = post.thread
    elif kind == "thread":
        post = None
        target_thread = permissions.get_thread_for(person, pk)
    else:
        raise Http404
    program = target_thread.space.program
    if not permissions.moderates(person, program):
        raise Http404
    form = ModerationForm(request.POST, program=program)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect(target_thread)
    data = form.cleaned_data
    try:
        if post is not None:
            services.moderate_post(post, person, data["action"], data["reason"])
        else:
            services.moderate_thread(
                target_thread, person, data["action"], data["reason"], data["to"]
            )
    except services.Refused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, str(ModerationAction.Action(data["action"]).label))
    back = request.POST.get("back") == "queue"
    if back:
        return redirect("community:moderation", slug=program.slug)
    return redirect(target_thread)


@login_required
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    """The moderators' queue (reports to resolve, posts held for approval), the program's
    discussion settings, and the moderation log."""
    person = signed_in_user(request)
    program = get_object_or_404(Program.objects.select_related("hub"), slug=slug)
    if not permissions.moderates(person, program):
        raise Http404
    # The hub's managers choose the settings; every moderator works the queue.
    manages = can_manage_program(person, program)
    current = permissions.settings_of(program)
    form = SettingsForm(request.POST or None, instance=current) if manages else None
    if request.method == "POST" and form is not None and form.is_valid():
        services.save_settings(form.save(commit=False), by=person)
        messages.success(request, _("Discussion settings saved."))
        return redirect("community:moderation", slug=program.slug)
    reports = (
        Report.objects.filter(post__thread__space__program=program, resolved_at__isnull=True)
        .select_related("post__thread", "post__author", "reporter")
        .order_by("created_at")[:100]
    )
    held = (
        Post.objects.filter(thread__space__program=program, status=Post.Status.HELD)
        .select_related("thread", "author")
        .order_by("created_at")[:100]
    )
    log = ModerationAction.objects.filter(program=program).select_related(
        "moderator", "thread", "post"
    )[:50]
    return render(
        request,
        "community/moderation.html",
        {
            "program": program,
            "form": form,
            "reports": reports,
            "held": held,
            "log": log,
            "space": permissions.space_for(program),
        },
    )
