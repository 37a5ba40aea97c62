import datetime as dt

from echohub.programs.series import MAX_SESSIONS, SeriesRule


def rule(**overrides: object) -> SeriesRule:
    fields: dict[str, object] = {
        "first_date": dt.date(2027, 1, 12),  # a Tuesday
        "start_time": dt.time(12, 0),
        "duration_minutes": 60,
        "zone": "America/Toronto",
        "frequency": "biweekly",
        "count": 8,
    }
    fields.update(overrides)
    return SeriesRule(**fields)  # type: ignore[arg-type]


def test_every_second_tuesday_at_noon_toronto_keeps_noon_across_daylight_saving() -> None:
    starts = rule().starts()
    assert len(starts) == 8
    assert [s.date() for s in starts][:3] == [
        dt.date(2027, 1, 12),
        dt.date(2027, 1, 26),
        dt.date(2027, 2, 9),
    ]
    # 12:00 EST is 17:00 UTC; after 14 March 2027 12:00 EDT is 16:00 UTC.
    assert starts[0].hour == 17
    assert starts[-1].date() == dt.date(2027, 4, 20)
    assert starts[-1].hour == 16
    assert all(s.tzinfo == dt.UTC for s in starts)


def test_newfoundland_half_hour_zone() -> None:
    starts = rule(zone="America/St_Johns", count=1).starts()
    assert starts == [dt.datetime(2027, 1, 12, 15, 30, tzinfo=dt.UTC)]


def test_monthly_on_the_same_weekday_of_the_month() -> None:
    # 12 January 2027 is the second Tuesday of its month.
    starts = rule(frequency="monthly", count=3).starts()
    assert [s.date() for s in starts] == [
        dt.date(2027, 1, 12),
        dt.date(2027, 2, 9),
        dt.date(2027, 3, 9),
    ]


def test_until_ends_the_series_and_the_earlier_of_count_and_until_wins() -> None:
    weekly = rule(frequency="weekly", count=None, until=dt.date(2027, 2, 2))
    assert [s.date().day for s in weekly.starts()] == [12, 19, 26, 2]
    both = rule(frequency="weekly", count=2, until=dt.date(2027, 2, 2))
    assert len(both.starts()) == 2


def test_an_until_before_the_first_date_gives_no_dates() -> None:
    assert rule(count=None, until=dt.date(2027, 1, 1)).starts() == []


def test_a_series_never_exceeds_the_maximum() -> None:
    starts = rule(frequency="weekly", count=None, until=dt.date(2035, 1, 1)).starts()
    assert len(starts) == MAX_SESSIONS
