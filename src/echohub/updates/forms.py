"""Forms of updates and subscriptions: parsing, and messages that name the field."""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from echohub.accounts.models import User
from echohub.library.models import Resource
from echohub.network.models import Hub
from echohub.programs.models import Program, Session
from echohub.programs.permissions import listed_programs, public_sessions
from echohub.reference.models import Profession, Province, Topic
from echohub.updates.models import Frequency, Update
from echohub.updates.services import Choices, Links

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _several(
    label: "StrOrPromise", queryset: Any, key: str | None = None
) -> forms.ModelMultipleChoiceField:
    """An optional list of boxes, posted by code or slug (as the short forms post them),
    or by id (`key` None)."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        to_field_name=key,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class InterestsForm(forms.Form):
    """How often and about what: every interest optional (none means all of that kind)."""

    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    professions = _several(_("Professions"), Profession.objects.all(), "code")
    provinces = _several(_("Provinces and territories"), Province.objects.all(), "code")
    hubs = _several(_("Hubs"), Hub.objects.all(), "slug")
    programs = _several(
        _("Programs"), listed_programs().filter(status=Program.Status.PUBLISHED), "slug"
    )
    topics = _several(_("Topics (for library items and updates)"), Topic.objects.all(), "code")

    def choices(self) -> Choices:
        data = self.cleaned_data
        return Choices(
            frequency=data["frequency"],
            professions=tuple(p.code for p in data["professions"]),
            provinces=tuple(p.code for p in data["provinces"]),
            hubs=tuple(h.slug for h in data["hubs"]),
            programs=tuple(p.slug for p in data["programs"]),
            topics=tuple(t.code for t in data["topics"]),
        )


class SubscribeForm(InterestsForm):
    """The "Stay informed" form: no account needed; the box is unticked and required."""

    field_order = ["email", "language", "frequency"]

    email = forms.EmailField(label=_("Email"), max_length=254)
    language = forms.ChoiceField(
        label=_("Language of the emails"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to say yes: we send nothing without it.")},
    )

    def __init__(self, *args: Any, wording: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = wording


class PreferencesForm(InterestsForm):
    language = forms.ChoiceField(
        label=_("Language of the emails"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )


class MyPreferencesForm(InterestsForm):
    """A signed-in person's: their address is confirmed; the box still asks, unticked."""

    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to say yes: we send nothing without it.")},
    )

    def __init__(self, *args: Any, wording: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = wording


PUBLISH_CHOICES = [
    ("draft", _("Keep as a draft")),
    ("now", _("Publish now")),
    ("schedule", _("Publish at a set time")),
]


class UpdateForm(forms.ModelForm):
    hub_choice = forms.ChoiceField(label=_("From"), required=False)
    publish = forms.ChoiceField(
        label=_("Publication"), choices=PUBLISH_CHOICES, widget=forms.RadioSelect, initial="draft"
    )
    publish_at_local = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=_("In your time zone. Only for “Publish at a set time”."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    image_upload = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("PNG or JPEG, up to 2 MB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    # Their choices are set per person in __init__.
    programs = _several(_("Programs it is about"), Program.objects.none())
    sessions = _several(_("Upcoming sessions it is about"), Session.objects.none())
    resources = _several(_("Library items it is about"), Resource.objects.none())
    topics = _several(_("Topics"), Topic.objects.all())

    class Meta:
        model = Update
        fields = [
            "title_en",
            "title_fr",
            "body_en",
            "body_fr",
            "image_alt_en",
            "image_alt_fr",
            "send_email",
        ]
        help_texts = {
            "body_en": _(
                "Markdown: **bold**, *italic*, [a link](https://…), lists with “- ”, "
                "headings with “## ”. HTML is shown as typed."
            ),
        }
        widgets = {
            "body_en": forms.Textarea(attrs={"rows": 10}),
            "body_fr": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: Any, person: User, hubs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.hubs = {h.slug: h for h in hubs}
        options = [(slug, str(hub.name)) for slug, hub in self.hubs.items()]
        if person.is_national_admin:
            options.insert(0, ("", gettext("The whole network")))
        cast(forms.ChoiceField, self.fields["hub_choice"]).choices = options
        instance = self.instance
        if instance.pk:
            self.fields["hub_choice"].initial = instance.hub.slug if instance.hub else ""
            self.fields["programs"].initial = list(instance.programs.all())
            self.fields["sessions"].initial = list(instance.sessions.values_list("pk", flat=True))
            self.fields["resources"].initial = list(instance.resources.values_list("pk", flat=True))
            self.fields["topics"].initial = list(instance.topics.all())
            if instance.publish_at:
                self.fields["publish"].initial = (
                    "schedule" if instance.status == "scheduled" else "now"
                )
                self.fields["publish_at_local"].initial = timezone.localtime(instance.publish_at)
        hub_ids = [h.pk for h in self.hubs.values()]
        programs = Program.objects.filter(
            status=Program.Status.PUBLISHED,
            **({} if person.is_national_admin else {"hub__in": hub_ids}),
        ).select_related("hub")
        cast(forms.ModelMultipleChoiceField, self.fields["programs"]).queryset = programs
        # The 200 soonest sessions and newest items: a form's choices cannot be a slice
        # (checking what was posted filters them), so they are named by id.
        soonest = (
            public_sessions()
            .filter(program__in=programs, starts_at__gte=timezone.now())
            .order_by("starts_at")
            .values_list("pk", flat=True)[:200]
        )
        cast(forms.ModelMultipleChoiceField, self.fields["sessions"]).queryset = (
            # Its own sessions stay offered after they are held, so saving keeps them.
            Session.objects.filter(pk__in=[*soonest, *(self.fields["sessions"].initial or ())])
            .select_related("program")
            .order_by("starts_at")
        )
        newest = (
            Resource.objects.filter(
                visibility=Resource.Visibility.PUBLIC,
                **({} if person.is_national_admin else {"hub__in": hub_ids}),
            )
            .order_by("-created_at")
            .values_list("pk", flat=True)[:200]
        )
        cast(
            forms.ModelMultipleChoiceField, self.fields["resources"]
        ).queryset = Resource.objects.filter(
            pk__in=[*newest, *(self.fields["resources"].initial or ())]
        ).order_by("-created_at")

    def clean_hub_choice(self) -> Hub | None:
        slug = self.cleaned_data["hub_choice"]
        if not slug:
            if not self.person.is_national_admin:
                raise ValidationError(_("Choose one of your hubs."))
            return None
        if slug not in self.hubs:
            raise ValidationError(_("Choose one of your hubs."))
        return self.hubs[slug]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("publish") == "schedule":
            when = data.get("publish_at_local")
            if when is None:
                self.add_error("publish_at_local", _("Give the date and time to publish it."))
            elif when <= timezone.now():
                self.add_error(
                    "publish_at_local",
                    _("That time has passed: choose a later one, or “Publish now”."),
                )
        return data

    def links(self) -> Links:
        data = self.cleaned_data
        return Links(
            programs=data["programs"],
            sessions=data["sessions"],
            resources=data["resources"],
            topics=data["topics"],
        )


# --- Importing a list ------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    language: str
    given_at: dt.datetime
    source: str


@dataclass(frozen=True)
class Refusal:
    line: int
    email: str
    reason: str


REQUIRED_COLUMNS = ("email", "consent_date", "consent_source")
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def read_list(data: bytes) -> tuple[list[ImportRow], list[Refusal]]:
    """The rows of a subscriber list that carry consent, and the others with the reason.

    Columns (a header row, any order): email, consent_date (YYYY-MM-DD),
    consent_source (where and how they said yes), and language (en or fr,
    optional). A row without a consent date or source is refused: CASL asks
    the sender to prove consent, and a list cannot prove what it does not say.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s."),
            params={"columns": ", ".join(missing)},
        )
    reader.fieldnames = header
    rows: list[ImportRow] = []
    refused: list[Refusal] = []
    seen: set[str] = set()
    now = timezone.now()
    for line, raw in enumerate(reader, start=2):
        email = (raw.get("email") or "").strip().lower()
        date_text = (raw.get("consent_date") or "").strip()
        source = (raw.get("consent_source") or "").strip()
        language = (raw.get("language") or "").strip().lower()[:2] or settings.LANGUAGE_CODE
        try:
            validate_email(email)
        except ValidationError:
            refused.append(Refusal(line, email, gettext("not an email address")))
            continue
        if email in seen:
            refused.append(Refusal(line, email, gettext("already on an earlier line")))
            continue
        seen.add(email)
        if not date_text:
            refused.append(Refusal(line, email, gettext("no consent date")))
            continue
        if not source:
            refused.append(Refusal(line, email, gettext("no consent source")))
            continue
        try:
            day = dt.date.fromisoformat(date_text)
        except ValueError:
            refused.append(
                Refusal(line, email, gettext("the consent date is not YYYY-MM-DD: %s") % date_text)
            )
            continue
        given_at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        if given_at > now:
            refused.append(Refusal(line, email, gettext("the consent date is in the future")))
            continue
        if language not in ("en", "fr"):
            refused.append(Refusal(line, email, gettext("the language is not en or fr")))
            continue
        rows.append(ImportRow(line, email, language, given_at, source[:200]))
    return rows, refused


class ImportForm(forms.Form):
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), to_field_name="slug")
    file = forms.FileField(
        label=_("List (CSV)"),
        help_text=_(
            "Columns: email, consent_date (YYYY-MM-DD), consent_source, and optionally language "
            "(en or fr). Rows without a consent date and source are refused."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, hubs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs

    def clean_file(self) -> tuple[list[ImportRow], list[Refusal]]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 5 MB: split it."))
        return read_list(upload.read())
