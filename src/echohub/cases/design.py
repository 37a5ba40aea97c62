"""Designing a program's case form without ever changing a version that cases use.

Every change goes through `_editable`: when the current version already has
cases, it is copied to a new version first and the change lands there; the
cases keep pointing at the version they were written on.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify

from echohub.accounts.models import User
from echohub.cases.models import CaseField, CaseForm, CaseSettings
from echohub.cases.starters import STARTERS, Question
from echohub.programs.models import Program


def settings_for(program: Program) -> CaseSettings:
    found, _ = CaseSettings.objects.get_or_create(program=program)
    return found


def current_form(program: Program) -> CaseForm:
    """The version new cases are written on; the palliative starter for a program that has none."""
    form = program.case_forms.order_by("-version").first()
    if form is not None:
        return form
    try:
        with transaction.atomic():
            form = _new_version(program, None)
            _fill(form, STARTERS["palliative"])
    except IntegrityError:
        # Two first visits at once: the other one made version 1.
        return program.case_forms.order_by("-version").get(version=1)
    return form


def _new_version(program: Program, by: User | None) -> CaseForm:
    latest = program.case_forms.aggregate(latest=Max("version"))["latest"] or 0
    return CaseForm.objects.create(program=program, version=latest + 1, created_by=by)


def _fill(form: CaseForm, questions: list[Question]) -> None:
    CaseField.objects.bulk_create(
        CaseField(
            form=form,
            key=q.key,
            position=index,
            type=q.type,
            label_en=q.en,
            label_fr=q.fr,
            help_en=q.help_en,
            help_fr=q.help_fr,
            required=q.required,
            choices=q.choices,
        )
        for index, q in enumerate(questions)
    )


def _editable(program: Program, by: User) -> CaseForm:
    form = current_form(program)
    if not form.cases.exists():
        return form
    copy = _new_version(program, by)
    fields = list(form.fields.all())
    for field in fields:
        field.pk = None
        field.form = copy
    CaseField.objects.bulk_create(fields)
    return copy


@transaction.atomic
def start_from(program: Program, starter: str, *, by: User) -> CaseForm:
    form = _new_version(program, by)
    _fill(form, STARTERS[starter])
    return form


def _unique_key(form: CaseForm, label: str) -> str:
    base = slugify(label)[:30].replace("-", "_") or "question"
    taken = set(form.fields.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


@transaction.atomic
def add_field(program: Program, field: CaseField, *, by: User) -> CaseField:
    form = _editable(program, by)
    field.form = form
    field.key = _unique_key(form, field.label_en or field.label_fr)
    field.position = (form.fields.aggregate(last=Max("position"))["last"] or 0) + 1
    field.save()
    return field


@transaction.atomic
def update_field(program: Program, key: str, changes: dict[str, object], *, by: User) -> CaseField:
    form = _editable(program, by)
    field = form.fields.get(key=key)
    for name, value in changes.items():
        setattr(field, name, value)
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def remove_field(program: Program, key: str, *, by: User) -> None:
    _editable(program, by).fields.filter(key=key).delete()


@transaction.atomic
def move_field(program: Program, key: str, step: int, *, by: User) -> None:
    form = _editable(program, by)
    fields = list(form.fields.all())
    keys = [f.key for f in fields]
    if key not in keys:
        return
    at = keys.index(key)
    to = min(max(at + step, 0), len(fields) - 1)
    fields.insert(to, fields.pop(at))
    for position, field in enumerate(fields):
        field.position = position
    CaseField.objects.bulk_update(fields, ["position"])
