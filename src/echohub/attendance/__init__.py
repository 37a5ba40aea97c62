"""Attendance: participant reports read, matched to people, and kept for accreditors.

`parse_report(data)` is usable on its own (no database): see `parsing`.
"""

from echohub.attendance.parsing import Attendee, Interval, Report, ReportError, parse_report

__all__ = ["Attendee", "Interval", "Report", "ReportError", "parse_report"]
