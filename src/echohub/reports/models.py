"""The aggregates the dashboards read, kept up to date from the raw rows.

`Participation` holds one row per person (or walk-in) and session with attendance:
present, or registered and absent (a no-show). It copies what the figures break
down by (hub, program, the day, the person's profession, setting, province,
spoke, language and rurality) and says, for each present row, whether it is the
person's first participation of its month, fiscal quarter, fiscal year and ever,
in its hub and in the network. Those flags make unique participants a sum.

`Tally` adds participations up by hub, month, profession and province (what the
dashboards filter by), alone and with one more breakdown at a time (setting,
language, rurality): a breakdown reads only its own rows, and the national and
hub dashboards read only tallies. A program's report, and the breakdowns by
program and spoke of one hub, read participation rows.

Both are derived, and their foreign keys carry no database constraint (a rebuild
writes millions of rows, and checking each key at commit would take longer than
writing them): `echohub.reports.aggregates` refreshes them when attendance is
saved or a profile changes, and `rebuild_reports` rebuilds them from the raw rows
(the tests check that both agree). Nothing else writes them.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def derived_key(to: str, *, null: bool = False) -> Any:
    """A foreign key of a derived table: no database constraint (see above); a row whose
    person or session goes goes with it, a reference that goes leaves it unknown."""
    return models.ForeignKey(
        to,
        null=null,
        on_delete=models.SET_NULL if null else models.CASCADE,
        related_name="+",
        db_constraint=False,
    )


class Kind(models.TextChoices):
    """Who a row is: the parts that add up to a session's attendance (see figures.classify)."""

    REGISTERED = "registered", _("Registered and attended")
    UNREGISTERED = "unregistered", _("Attended without registering")
    WALK_IN = "walk_in", _("Walk-ins without an account")
    STAFF = "staff", _("Hub staff")
    NO_SHOW = "no_show", _("Registered, did not attend")


PRESENT_KINDS = (Kind.REGISTERED, Kind.UNREGISTERED, Kind.WALK_IN, Kind.STAFF)

# Each present row says whether it is its person's first in each grain and scope.
GRAINS = ("month", "quarter", "year", "ever")
SCOPES = ("hub", "net")
FLAGS = tuple(f"new_{grain}_{scope}" for scope in SCOPES for grain in GRAINS)


class Dimensions(models.Model):
    """What a participation row is filtered and broken down by, copied from the profile."""

    hub = derived_key("network.Hub")
    month = models.DateField()  # the first day of the session's month, on the network's clock
    profession = derived_key("reference.Profession", null=True)
    province = derived_key("reference.Province", null=True)
    new_month_hub = models.PositiveIntegerField(default=0)
    new_quarter_hub = models.PositiveIntegerField(default=0)
    new_year_hub = models.PositiveIntegerField(default=0)
    new_ever_hub = models.PositiveIntegerField(default=0)
    new_month_net = models.PositiveIntegerField(default=0)
    new_quarter_net = models.PositiveIntegerField(default=0)
    new_year_net = models.PositiveIntegerField(default=0)
    new_ever_net = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class Participation(Dimensions):
    """A person's (or walk-in's) presence at a session, or a registrant's absence."""

    session = derived_key("programs.Session")
    program = derived_key("programs.Program")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    day = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    minutes = models.PositiveIntegerField(default=0)
    setting = derived_key("reference.PracticeSetting", null=True)
    spoke = derived_key("network.Spoke", null=True)
    language = models.CharField(max_length=2, blank=True)  # "" for a walk-in
    rural = models.BooleanField(null=True)  # from the practice postal code; None if unknown
    # The flags are 0 or 1 here (first participation of its grain and scope, or not):
    # integers, so that a tally sums them on both engines alike.

    class Meta:
        indexes = [
            models.Index(fields=["session"]),
            models.Index(fields=["program", "month"]),
            models.Index(fields=["person", "day"]),
            models.Index(fields=["hub", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: person {self.person_id}, session {self.session_id}"


class Tally(Dimensions):
    """Participations of a hub and month by profession and province (`dim` ""), and by
    those and one more breakdown (`dim` "setting", "language" or "rural", its `value`):
    what a page filtered by profession or province reads. `coarse` rows add up over
    profession and province (both empty), alone and by one breakdown, professions and
    provinces included: what an unfiltered page reads, a few dozen rows a hub and month.

    One row per combination seen, so a breakdown reads only its own rows; the people
    columns sum the first-participation flags.
    """

    DIMS = ("", "setting", "language", "rural")
    COARSE_DIMS = (*DIMS, "profession", "province")

    coarse = models.BooleanField(default=False)
    dim = models.CharField(max_length=10, blank=True)
    value = models.CharField(max_length=40, blank=True)
    participations = models.PositiveIntegerField(default=0)
    registered = models.PositiveIntegerField(default=0)  # registered and attended
    unregistered = models.PositiveIntegerField(default=0)
    walk_in = models.PositiveIntegerField(default=0)
    staff = models.PositiveIntegerField(default=0)
    no_show = models.PositiveIntegerField(default=0)
    minutes = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["coarse", "dim", "month", "hub"])]

    def __str__(self) -> str:
        return f"hub {self.hub_id}, {self.month:%Y-%m}, {self.dim}={self.value}"


class Cycle(models.Model):
    """A program's participants with an account and those who met its completion rule
    (attended at least `completion_percent` of its held sessions with attendance), by
    the two profile fields the dashboards filter on: retention is a sum of these."""

    program = derived_key("programs.Program")
    hub = derived_key("network.Hub")
    first_month = models.DateField()
    last_month = models.DateField()
    profession = derived_key("reference.Profession", null=True)
    province = derived_key("reference.Province", null=True)
    participants = models.PositiveIntegerField(default=0)
    completers = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"program {self.program_id}: {self.completers}/{self.participants}"


class Freshness(models.Model):
    """One row: when the aggregates were last refreshed, and last rebuilt whole.

    Every refresh takes this row's lock first, so two refreshes never interleave.
    """

    refreshed_at = models.DateTimeField(null=True)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"refreshed {self.refreshed_at}, rebuilt {self.rebuilt_at}"
