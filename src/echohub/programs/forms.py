"""Forms for hub staff: programs, sessions, series and panels."""

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from echohub.accounts.models import User
from echohub.bilingual import validate_no_html
from echohub.network.models import Hub
from echohub.programs.models import (
    REMINDER_CHOICES,
    Group,
    Program,
    ProgramStaff,
    Session,
    Speaker,
    default_reminder_minutes,
    validate_https,
)
from echohub.programs.series import (
    FREQUENCIES,
    MAX_SESSIONS,
    SeriesRule,
    WallClock,
    session_start,
    utc_offset,
    wall_clock,
)
from echohub.timezones import zone_choices, zone_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def capacity_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no limit."),
        error_messages={"min_value": _("Capacity must be at least 1, or empty for no limit.")},
    )


def which_time_field() -> forms.TypedChoiceField:
    """Which of a time that comes twice (the night clocks go back) is meant.

    Hidden until a form meets such a time; `settle_wall_clock` then shows it.
    """
    return forms.TypedChoiceField(
        label=_("Which one?"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(0, "0"), (1, "1")],
        widget=forms.HiddenInput,
    )


def _offset_text(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "\u2212"  # a minus sign, not a hyphen
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def settle_wall_clock(
    form: forms.BaseForm, moments: list[dt.datetime], zone: str, time_field: str
) -> int | None:
    """The fold to store `moments` (naive, on `zone`'s wall clock) with, or None.

    A time that never happens (clocks go forward over it) is refused on
    `time_field`; a time that happens twice needs the `which_time` answer,
    which is asked for (the field becomes a visible choice) when missing.
    """
    skipped = [m for m in moments if wall_clock(m, zone) is WallClock.SKIPPED]
    repeated = [m for m in moments if wall_clock(m, zone) is WallClock.REPEATED]
    when = {
        "time": formats.time_format(moments[0].time(), "TIME_FORMAT") if moments else "",
        "zone": zone_label(zone),
    }
    if skipped:
        days = ", ".join(formats.date_format(m.date(), "DATE_FORMAT") for m in skipped)
        form.add_error(
            time_field,
            _(
                "There is no %(time)s on %(dates)s in %(zone)s: the clocks go forward "
                "an hour that night. Choose another time."
            )
            % {**when, "dates": days},
        )
        return None
    if not repeated:
        return 0
    field = cast(forms.TypedChoiceField, form.fields["which_time"])
    field.widget = forms.RadioSelect()
    field.choices = [
        (
            0,
            _("The first %(time)s (%(offset)s)")
            % {**when, "offset": _offset_text(utc_offset(repeated[0], zone, 0))},
        ),
        (
            1,
            _("The second %(time)s (%(offset)s), after the clocks go back")
            % {**when, "offset": _offset_text(utc_offset(repeated[0], zone, 1))},
        ),
    ]
    fold = form.cleaned_data.get("which_time")
    if fold in (0, 1):
        return cast(int, fold)
    days = ", ".join(formats.date_format(m.date(), "DATE_FORMAT") for m in repeated)
    form.add_error(
        "which_time",
        _(
            "%(time)s comes twice on %(dates)s in %(zone)s, when the clocks go back an "
            "hour: choose which one you mean."
        )
        % {**when, "dates": days},
    )
    return None


def reminder_choices() -> list[tuple[int, "StrOrPromise"]]:
    """The usual choices, plus any the site is configured with by default."""
    choices: list[tuple[int, StrOrPromise]] = list(REMINDER_CHOICES)
    for minutes in default_reminder_minutes():
        if minutes not in dict(choices):
            choices.append((minutes, _("%(minutes)s minutes before") % {"minutes": minutes}))
    return sorted(choices, key=lambda choice: -choice[0])


class ProgramForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=zone_choices,
        initial=Program._meta.get_field("timezone").default,
        help_text=_("Sessions are entered and announced in this zone."),
    )
    reminder_minutes = forms.TypedMultipleChoiceField(
        label=_("Reminders"),
        choices=reminder_choices,
        coerce=int,
        required=False,
        initial=default_reminder_minutes,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Emails to confirmed registrants before each session; none ticked: none sent."),
    )

    class Meta:
        model = Program
        fields = [
            "hub",
            "title_en",
            "title_fr",
            "description_en",
            "description_fr",
            "audience_professions",
            "audience_settings",
            "scope",
            "provinces",
            "languages",
            "timezone",
            "enrolment",
            "access",
            "requires_approval",
            "reminder_minutes",
            "room_opens_minutes",
            "certificates",
            "completion_percent",
            "certificates_automatic",
        ]
        widgets = {
            "certificates": forms.RadioSelect,
            "audience_professions": forms.CheckboxSelectMultiple,
            "audience_settings": forms.CheckboxSelectMultiple,
            "provinces": forms.CheckboxSelectMultiple,
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "description_fr": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "audience_professions": _("Leave all unticked for a program open to every profession."),
            "audience_settings": _("Leave all unticked for a program open to every setting."),
        }

    def __init__(self, *args: Any, hubs: QuerySet[Hub], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Older clients (and scripts) that do not send the CPD settings keep the defaults.
        self.fields["certificates"].required = False
        self.fields["completion_percent"].required = False
        self.fields["room_opens_minutes"].required = False
        hub = cast(forms.ModelChoiceField, self.fields["hub"])
        hub.queryset = hubs
        hub.empty_label = None
        if self.instance.pk:
            # A program stays with its hub; moving it is a national admin's job in the admin.
            del self.fields["hub"]

    def clean_certificates(self) -> str:
        return self.cleaned_data["certificates"] or Program.Certificates.SESSION

    def clean_completion_percent(self) -> int:
        value = self.cleaned_data["completion_percent"]
        return 80 if value is None else int(value)

    def clean_room_opens_minutes(self) -> int:
        value = self.cleaned_data["room_opens_minutes"]
        return 15 if value is None else int(value)

    def clean_reminder_minutes(self) -> list[int]:
        return sorted(set(self.cleaned_data["reminder_minutes"]), reverse=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == Program.Scope.PROVINCIAL and not data.get("provinces"):
            self.add_error("provinces", _("Tick the provinces or territories this program serves."))
        leaves_cohort = data.get("enrolment") not in (None, Program.Enrolment.COHORT)
        if leaves_cohort and self.instance.pk and self.instance.groups.exists():
            self.add_error(
                "enrolment",
                _("This program has groups, which need enrolment: delete its groups first."),
            )
        return data


def offer_groups(form: forms.BaseForm, program: Program) -> None:
    """A session's group: one of the program's, or none (for everyone). A program without
    groups asks nothing."""
    groups = program.groups.all()
    if not groups:
        del form.fields["group"]
        return
    field = cast(forms.ModelChoiceField, form.fields["group"])
    field.queryset = groups
    field.empty_label = _("Everyone in the program")
    field.help_text = _(
        "A group's sessions are for its members; the others are for everyone enrolled."
    )


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name_en", "name_fr", "facilitator"]

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["facilitator"])
        field.queryset = people
        field.help_text = _("A facilitator or expert of the program's hub.")


class SessionForm(forms.ModelForm):
    """A session's start and end are entered on the program's wall clock."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    which_time = which_time_field()
    capacity = capacity_field()

    class Meta:
        model = Session
        fields = [
            "title_en",
            "title_fr",
            "description_en",
            "description_fr",
            "group",
            "capacity",
            "join_url",
            "host_url",
        ]
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "join_url": forms.URLInput(attrs={"placeholder": "https://"}),
            "host_url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        offer_groups(self, program)
        zone = program.zone
        for name in ("start_time", "end_time"):
            self.fields[name].help_text = _("Time in %(zone)s.") % {
                "zone": zone_label(program.timezone)
            }
        if self.instance.pk:
            local_start = self.instance.starts_at.astimezone(zone)
            local_end = self.instance.ends_at.astimezone(zone)
            self.initial.update(
                date=local_start.date(),
                start_time=local_start.time().replace(second=0, microsecond=0),
                end_time=local_end.time().replace(second=0, microsecond=0),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return data
        if end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
            return data
        fold = settle_wall_clock(
            self, [dt.datetime.combine(day, start)], self.program.timezone, "start_time"
        )
        if fold is None:
            return data
        starts_at = session_start(day, start, self.program.timezone, fold)
        moved = not self.instance.pk or starts_at != self.instance.starts_at
        if moved and starts_at < timezone.now():
            self.add_error("date", _("This date and time are in the past."))
            return data
        self.instance.starts_at = starts_at
        self.instance.duration_minutes = int(
            (dt.datetime.combine(day, end) - dt.datetime.combine(day, start)).total_seconds() // 60
        )
        return data


SpeakerFormSet: "type[forms.BaseInlineFormSet[Speaker, Session, forms.ModelForm[Speaker]]]" = (
    forms.inlineformset_factory(
        Session,
        Speaker,
        fields=["name", "affiliation", "bio_en", "bio_fr"],
        widgets={
            "bio_en": forms.Textarea(attrs={"rows": 2}),
            "bio_fr": forms.Textarea(attrs={"rows": 2}),
        },
        extra=1,
        can_delete=True,
    )
)


class SeriesForm(forms.Form):
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=190,
        required=False,
        initial="Session {n}",
        validators=[validate_no_html],
        help_text=_("{n} becomes the session's number."),
    )
    title_fr = forms.CharField(
        label=_("Title (French)"),
        max_length=190,
        required=False,
        initial="Séance {n}",
        validators=[validate_no_html],
    )
    first_date = forms.DateField(
        label=_("First session"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    which_time = which_time_field()
    frequency = forms.ChoiceField(label=_("Repeats"), choices=FREQUENCIES)
    count = forms.IntegerField(
        label=_("Number of sessions"),
        required=False,
        min_value=1,
        max_value=MAX_SESSIONS,
        help_text=_("Give a number of sessions, a last date, or both (the earlier ends it)."),
    )
    until = forms.DateField(
        label=_("Last possible date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(), required=False)
    capacity = capacity_field()
    join_url = forms.CharField(
        label=_("Join link"),
        required=False,
        max_length=500,
        validators=[validate_https],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        offer_groups(self, program)
        for name in ("start_time", "end_time"):
            self.fields[name].help_text = _("Time in %(zone)s.") % {
                "zone": zone_label(program.timezone)
            }
        self.starts: list[dt.datetime] = []
        self.fold = 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title_en") or "").strip() and not (data.get("title_fr") or "").strip():
            self.add_error("title_en", _("Give the title in English, in French or in both."))
        first, start, end = data.get("first_date"), data.get("start_time"), data.get("end_time")
        if first is None or start is None or end is None or "frequency" not in data:
            return data
        if end <= start:
            self.add_error("end_time", _("A session must end after it starts."))
            return data
        if not data.get("count") and not data.get("until"):
            self.add_error("count", _("Give a number of sessions or a last date."))
            return data
        if data.get("until") and data["until"] < first:
            self.add_error("until", _("The last date is before the first session."))
            return data
        rule = self.rule()
        fold = settle_wall_clock(self, rule.wall_clock_starts(), rule.zone, "start_time")
        if fold is None:
            return data
        self.fold = fold
        self.starts = self.rule().starts()
        if not self.starts:
            self.add_error(None, _("This rule gives no dates: check the first date and the end."))
        elif self.starts[0] < timezone.now():
            self.add_error("first_date", _("The first session would start in the past."))
        return data

    def rule(self) -> SeriesRule:
        data = self.cleaned_data
        start, end = data["start_time"], data["end_time"]
        day = data["first_date"]
        minutes = (dt.datetime.combine(day, end) - dt.datetime.combine(day, start)).seconds // 60
        return SeriesRule(
            first_date=day,
            start_time=start,
            duration_minutes=minutes,
            zone=self.program.timezone,
            frequency=data["frequency"],
            count=data.get("count"),
            until=data.get("until"),
            fold=self.fold,
        )


class PanelForm(forms.Form):
    person: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Person"), queryset=None
    )
    role = forms.ChoiceField(label=_("Role"), choices=ProgramStaff.Role.choices)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["person"]).queryset = people
