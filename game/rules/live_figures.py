"""The live surfaces' figures (dashboard, big screen, `watch` channel), each released through the privacy gate.

A team's own tablets see the team's distribution at the reveal (the physical game does too); everyone
else sees a team's figures only when the team may be shown on its own. Which teams may: the room's
seated voters per team go through complementary suppression (game/rules/privacy.py `suppress`), so a
room total shown anywhere (the big screen, the report) minus the shown teams never leaves a small team.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from game.rules.alerts import comfort_alerts, team_alerts
from game.rules.privacy import release_count, release_group, suppress

FIGURE_KEYS = ("distribution", "distribution2")


def team_sizes(views: Iterable[dict]) -> dict[int, int]:
    """Seated voters (observers excluded) per team, from the teams' views."""
    return {v["team"]["id"]: sum(1 for p in v["players"] if not p.get("observer")) for v in views}


def released_teams(sizes: Mapping[int, int], min_group: int) -> frozenset[int]:
    """The teams whose figures may appear outside the team: large enough, and not the complement of a
    small rest (a team of 5 beside a team of 1 is withheld too, or the room total would give the 1 away)."""
    return frozenset(suppress(sizes, min_group).shown)


def min_group_of(view: dict) -> int:
    return int(view.get("settings", {}).get("min_group") or 5)


def gated_distribution(dist: list[dict] | None, min_group: int, released: bool) -> tuple[list[dict] | None, bool]:
    """A team's distribution for viewers outside the team: (the counts or None, unanimous)."""
    if not dist or not released:
        return None, False
    result = release_group([d["count"] for d in dist], min_group)
    if result is None:
        return None, False
    return [{"value": d["value"], "count": d["count"]} for d in dist], result.unanimous


def watch_view(view: dict, released: bool) -> dict:
    """A team's view for the room's dashboards: who voted as before; the distributions, predictions and
    points only through the gate; the alerts recomputed from what is left."""
    min_group = min_group_of(view)
    out = dict(view)
    for key in FIGURE_KEYS:
        out[key], out[key + "_unanimous"] = gated_distribution(view.get(key), min_group, released)
    out["withheld"] = any(view.get(k) for k in FIGURE_KEYS) and not any(out[k] for k in FIGURE_KEYS)
    pred = view.get("predictions")
    count = release_count(pred["right"], pred["made"], min_group) if pred and released and out["distribution"] else None
    out["predictions"] = {**pred, "right": count[0]} if count else None
    # Points grow by 2 per right prediction: a small team's points would count its right predictions.
    out["points"] = view.get("points") if released else None
    out["alerts"] = team_alerts(out)
    return out


def settled_rounds(entry: dict, seated: int, rounds_done: int, phase: str, room_open: bool) -> frozenset[int]:
    """The rounds whose comfort answers are complete: everyone seated answered, or the team has moved on
    (a later card drawn, or the room ended). Counts that grew answer by answer on the dashboard would give
    each answer away as the difference between two updates."""
    later_card = phase not in ("draw", "finished")
    return frozenset(r["round"] for r in entry.get("rounds", [])
                     if not room_open or r["answered"] >= seated or r["round"] < rounds_done or (r["round"] == rounds_done and later_card))


def finished_cards(rounds: Iterable[tuple[int, int, int, bool]], rounds_done: Mapping[int, int],
                   seated_teams: set[int]) -> set[int]:
    """The cards (room card ids) every table with seated players has finished: decided or skipped.

    Rounds are (team id, room card id, round number, skipped). While a room plays, the report and the
    dashboard's role groups count a card only once it is finished everywhere: a figure that grows table by
    table (or vote by vote) gives each addition away as the difference between two reloads."""
    finished: dict[int, set[int]] = {}
    for team_id, card_id, number, skipped in rounds:
        if skipped or number <= rounds_done.get(team_id, 0):
            finished.setdefault(card_id, set()).add(team_id)
    return {card for card, teams in finished.items() if seated_teams and seated_teams <= teams}


def comfort_view(entry: dict, min_group: int, released: bool, settled: frozenset[int]) -> dict:
    """'Can you live with it?' of one team for the dashboard: a round's count only when its answers are
    complete (`settled`), at least `min_group` answered and the team may be shown; totals over those rounds."""
    rounds = [r for r in entry.get("rounds", [])
              if released and r["round"] in settled and release_count(r["low"], r["answered"], min_group)]
    flags = {"rounds": rounds, "answered": sum(r["answered"] for r in rounds), "low": sum(r["low"] for r in rounds)}
    withheld = sum(1 for r in entry.get("rounds", []) if r not in rounds)
    return {"team_id": entry["team_id"], **flags, "withheld": withheld, "alerts": comfort_alerts(flags)}


def gate_overview(overview: dict) -> dict:
    """The facilitator's overview with every team and comfort figure through the gate."""
    teams = overview["teams"]
    min_group = min_group_of({"settings": overview["room"].get("settings", {})})
    shown = released_teams(team_sizes(teams), min_group)
    result = {**overview, "teams": [watch_view(v, v["team"]["id"] in shown) for v in teams]}
    if "comfort" in overview:
        sizes, by_id = team_sizes(teams), {v["team"]["id"]: v for v in teams}
        result["comfort"] = [
            comfort_view(c, min_group, c["team_id"] in shown, settled_rounds(
                c, sizes.get(c["team_id"], 0), by_id[c["team_id"]]["rounds_done"], by_id[c["team_id"]]["phase"],
                overview["room"].get("open", True)) if c["team_id"] in by_id else frozenset())
            for c in overview["comfort"]]
    return result
