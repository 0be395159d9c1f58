"""Small numeric helpers shared by the load generator, the runner and the plots (no dependencies)."""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear between closest ranks (numpy's default); None if empty."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0..100")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    if lo == hi:
        return float(ordered[lo])
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summarize_ms(seconds: Iterable[float]) -> dict:
    """n, p50, p95, p99, max and mean of durations given in seconds, reported in milliseconds."""
    values = sorted(s * 1000 for s in seconds)
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None, "mean": None}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
        "max": round(values[-1], 2),
        "mean": round(sum(values) / len(values), 2),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b rounded to 2 decimals, None when either is missing or b is 0."""
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 2)


def rate(count: int, seconds: float) -> float:
    """count / seconds, 0 for an empty interval."""
    return round(count / seconds, 1) if seconds > 0 else 0.0


def team_sizes(players: int, team_size: int) -> list[int]:
    """Split players into teams of `team_size`; the remainder forms one smaller team."""
    if players < 1 or team_size < 1:
        raise ValueError("players and team_size must be at least 1")
    full, rest = divmod(players, team_size)
    return [team_size] * full + ([rest] if rest else [])


def rooms_for(teams: int, max_teams: int = 20) -> list[int]:
    """How many teams each room gets when a room holds at most `max_teams`."""
    if teams < 1:
        return []
    rooms = math.ceil(teams / max_teams)
    base, extra = divmod(teams, rooms)
    return [base + (1 if i < extra else 0) for i in range(rooms)]
