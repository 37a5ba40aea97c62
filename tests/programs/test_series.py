import datetime as dt

from echohub.programs.series import MAX_SESSIONS, SeriesRule, WallClock, session_start, wall_clock


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


def wall(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    """A naive wall-clock moment, as the forms read one."""
    return dt.datetime.combine(dt.date(year, month, day), dt.time(hour, minute))


def test_wall_clock_knows_skipped_and_repeated_times() -> None:
    # Toronto in 2027: clocks go forward at 02:00 on 14 March, back at 02:00 on 7 November.
    zone = "America/Toronto"
    assert wall_clock(wall(2027, 3, 14, 2, 30), zone) is WallClock.SKIPPED
    assert wall_clock(wall(2027, 3, 14, 3, 0), zone) is WallClock.EXISTS
    assert wall_clock(wall(2027, 11, 7, 1, 30), zone) is WallClock.REPEATED
    assert wall_clock(wall(2027, 11, 7, 2, 0), zone) is WallClock.EXISTS
    assert wall_clock(wall(2027, 3, 14, 2, 30), "America/Regina") is WallClock.EXISTS
    # Newfoundland moves at 02:00 its own time too, half an hour off the others.
    assert wall_clock(wall(2027, 3, 14, 2, 15), "America/St_Johns") is WallClock.SKIPPED


def test_the_second_of_a_repeated_time_is_an_hour_later() -> None:
    first = session_start(dt.date(2027, 11, 7), dt.time(1, 30), "America/Toronto")
    second = session_start(dt.date(2027, 11, 7), dt.time(1, 30), "America/Toronto", fold=1)
    assert first == dt.datetime(2027, 11, 7, 5, 30, tzinfo=dt.UTC)
    assert second - first == dt.timedelta(hours=1)


def test_a_series_carries_the_chosen_fold() -> None:
    starts = rule(
        first_date=dt.date(2027, 10, 31), start_time=dt.time(1, 30), frequency="weekly", count=2
    )
    assert [s.hour for s in starts.starts()] == [5, 5]  # 01:30 EDT, then the first 01:30
    later = rule(
        first_date=dt.date(2027, 10, 31),
        start_time=dt.time(1, 30),
        frequency="weekly",
        count=2,
        fold=1,
    )
    assert [s.hour for s in later.starts()] == [5, 6]
