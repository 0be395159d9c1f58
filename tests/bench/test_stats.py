"""The benchmark's own arithmetic: percentiles, summaries, team and room splits (fast, no server)."""
from __future__ import annotations

import pytest

from benchmarks.stats import percentile, rate, ratio, rooms_for, summarize_ms, team_sizes


def test_percentile_interpolates_between_closest_ranks_like_numpy():
    values = [1, 2, 3, 4]
    assert percentile(values, 0) == 1
    assert percentile(values, 50) == 2.5
    assert percentile(values, 100) == 4
    assert percentile(values, 75) == pytest.approx(3.25)


def test_percentile_ignores_input_order_and_handles_one_value():
    assert percentile([9, 1, 5], 50) == 5
    assert percentile([7], 99) == 7


def test_percentile_of_nothing_is_none_and_out_of_range_is_refused():
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_p99_of_a_hundred_samples_sits_near_the_top():
    values = list(range(1, 101))
    assert percentile(values, 99) == pytest.approx(99.01)


def test_summary_reports_milliseconds_from_seconds():
    summary = summarize_ms([0.010, 0.020, 0.030])
    assert summary["n"] == 3
    assert summary["p50"] == 20.0
    assert summary["max"] == 30.0
    assert summary["mean"] == 20.0


def test_summary_of_no_samples_has_empty_fields():
    assert summarize_ms([]) == {"n": 0, "p50": None, "p95": None, "p99": None, "max": None, "mean": None}


def test_ratio_and_rate_guard_against_missing_and_zero():
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(None, 2.0) is None
    assert ratio(1.0, 0) is None
    assert rate(100, 4.0) == 25.0
    assert rate(5, 0) == 0.0


def test_players_split_into_teams_of_twenty_with_a_smaller_last_team():
    assert team_sizes(1000, 20) == [20] * 50
    assert team_sizes(45, 20) == [20, 20, 5]
    with pytest.raises(ValueError):
        team_sizes(0, 20)


def test_teams_spread_evenly_over_rooms_of_at_most_twenty():
    assert rooms_for(50) == [17, 17, 16]
    assert rooms_for(20) == [20]
    assert rooms_for(100) == [20] * 5
    assert sum(rooms_for(37)) == 37 and max(rooms_for(37)) <= 20
    assert rooms_for(0) == []
