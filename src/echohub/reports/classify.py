"""Who a person is at a session, for every figure: the one definition of the parts.

A session's attendance adds up: attended = registered and attended + attended
without registering + walk-ins without an account + hub staff, each present
person counted once, in that order (a staff member who registered counts as
registered). Registered = registered and attended + no-shows. The live figures
of a session page and the aggregates of the dashboards both use `kind`.
"""

from echohub.reports.models import Kind


def kind(*, has_account: bool, confirmed: bool, staff: bool, present: bool) -> Kind:
    """The row's part; someone neither present nor registered has no row (never asked)."""
    if not present:
        return Kind.NO_SHOW
    if not has_account:
        return Kind.WALK_IN
    if confirmed:
        return Kind.REGISTERED
    if staff:
        return Kind.STAFF
    return Kind.UNREGISTERED
