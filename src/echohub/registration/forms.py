"""Forms of the coordinator's registrant pages."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from echohub.accounts.models import User
from echohub.network.models import Spoke
from echohub.programs.models import Group, Program
from echohub.reference.forms import AudienceFilterForm
from echohub.registration import invitations
from echohub.registration.models import Registration, SessionMessage


class RegistrantFilterForm(AudienceFilterForm):
    field_order = ["status", "profession", "setting", "province", "spoke"]

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *Registration.Status.choices],
    )
    spoke = forms.ModelChoiceField(
        label=_("Spoke"),
        queryset=Spoke.objects.all(),
        required=False,
        empty_label=_("All spokes"),
    )


class AddRegistrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("The address of their EchoHub account.")
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no limit. Raising it gives seats to the waiting list."),
        error_messages={"min_value": _("Capacity must be at least 1, or empty for no limit.")},
    )


class SessionMessageForm(forms.ModelForm):
    """Subject and message in English, French or both; each reader gets their language."""

    class Meta:
        model = SessionMessage
        fields = ["audience", "subject_en", "body_en", "subject_fr", "body_fr"]
        widgets = {
            "audience": forms.RadioSelect,
            "body_en": forms.Textarea(attrs={"rows": 8}),
            "body_fr": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "body_en": _(
                "Plain text. The session's time, join link (for those registered) and"
                " cancel link are added below it."
            ),
        }


class InviteForm(forms.Form):
    """Addresses to invite, pasted or in a file, read by `invitations.parse_addresses`.

    Nothing is sent unless every line reads as an address: the lines that do not are
    named by number, so the coordinator fixes them and sends the whole list once.
    """

    addresses = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocapitalize": "none"}),
        help_text=_(
            "One per line. Add “fr” or “en” after an address to choose the language of its "
            "email; people with an account get theirs in the language they chose."
        ),
    )
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_(
            "A CSV or text file (from a spreadsheet: Save as CSV), one address per line, "
            "with an optional language column. Up to 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the email for the others"), choices=User.Language.choices
    )
    days = forms.IntegerField(
        label=_("The links work for (days)"),
        min_value=1,
        max_value=invitations.LONGEST_DAYS,
        initial=invitations.DEFAULT_DAYS,
    )

    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("None: they choose their group"),
        help_text=_("Accepting enrols them in this group."),
    )

    MOST_BYTES = 2 * 1024 * 1024

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = program.groups.all()
        if program.enrolment == Program.Enrolment.COHORT and groups:
            cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups
        else:
            del self.fields["group"]

    def clean_file(self) -> str:
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > self.MOST_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 2 MB."))
        raw = upload.read()
        if b"\x00" in raw:  # a spreadsheet's own format (XLSX, XLS), not text
            raise forms.ValidationError(
                gettext("This file is not text: save it as CSV and try again.")
            )
        for encoding in ("utf-8-sig", "cp1252"):  # Excel's CSV is one of these
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(gettext("This file is not text: save it as CSV and try again."))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        text = "\n".join(part for part in (data.get("addresses"), data.get("file")) if part)
        if not text.strip() and not self.errors:
            raise forms.ValidationError(gettext("Paste at least one address, or choose a file."))
        parsed = invitations.parse_addresses(text)
        if parsed.bad_lines:
            shown = parsed.bad_lines[:10]
            more = len(parsed.bad_lines) - len(shown)
            lines = "; ".join(
                gettext("line %(number)s: “%(line)s”") % {"number": n, "line": line}
                for n, line in shown
            )
            message = ngettext(
                "%(count)s line is not an email address, so nothing was sent: %(lines)s.",
                "%(count)s lines are not email addresses, so nothing was sent: %(lines)s.",
                len(parsed.bad_lines),
            ) % {"count": len(parsed.bad_lines), "lines": lines}
            if more:
                message += " " + ngettext("And %(count)s more.", "And %(count)s more.", more) % {
                    "count": more
                }
            raise forms.ValidationError(message)
        if len(parsed.addresses) > invitations.MOST_ADDRESSES:
            raise forms.ValidationError(
                gettext("At most %(most)s addresses at once: split the list.")
                % {"most": f"{invitations.MOST_ADDRESSES:,}"}
            )
        if text.strip() and not parsed.addresses:
            raise forms.ValidationError(gettext("Paste at least one address, or choose a file."))
        data["parsed"] = parsed
        return data
