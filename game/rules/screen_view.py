"""The big screen's data: the room's shared picture, with no player names, no roles and only gated figures.

A room result for a card (all tables together) is shown only once every table has revealed that ballot:
a total that grows table by table would give away the last table's votes as the difference. It is
withheld when the tables not shown on their own hold fewer than `min_group` voters (the total minus the
shown tables would be theirs). Tables are shown on their own only when `released_teams` allows it.
"""
from __future__ import annotations

from collections.abc import Mapping

from game.rules.live_figures import min_group_of, released_teams, team_sizes
from game.rules.privacy import Released, release_group

AFTER_FIRST = {"discuss", "revote", "decide"}   # phases in which the first ballot has been revealed
HEADLINES = 3


def _released(r: Released | None, choices: list[dict]) -> dict | None:
    if r is None:
        return None
    top = max(r.counts)
    leaders = [c["value"] for c, n in zip(choices, r.counts) if n == top]
    return {"n": r.n, "counts": list(r.counts), "unanimous": r.unanimous,
            "leader": leaders[0] if len(leaders) == 1 else None, "top_share": round(top / r.n, 3)}


def card_result(counts: Mapping[int, list[int]], shown: frozenset[int], choices: list[dict], min_group: int) -> dict:
    """One card's ballot over the tables that played it: the tables that may be shown, then the room total."""
    tables = {}
    for team_id, team_counts in counts.items():
        if team_id in shown:
            r = release_group(team_counts, min_group, team_id)
            if r is not None:
                tables[team_id] = r
    total = [sum(c[i] for c in counts.values()) for i in range(len(choices))]
    rest = sum(total) - sum(r.n for r in tables.values())
    room = release_group(total, min_group) if not 0 < rest < min_group else None
    leaders = {_released(r, choices)["leader"] for r in tables.values()}
    agree = None if len(tables) < 2 else (len(leaders) == 1 and None not in leaders)
    return {"room": _released(room, choices), "agree": agree,
            "tables": [{"team_id": t, **_released(r, choices)} for t, r in tables.items()]}


def _first_final(view: dict, number: int) -> bool:
    return view["rounds_done"] >= number or (view["round"] == number and view["phase"] in AFTER_FIRST)


def _second_final(view: dict, number: int) -> bool:
    return view["rounds_done"] >= number or (view["round"] == number and view["phase"] == "decide")


def screen_view(overview: dict, history: Mapping[int, dict]) -> dict:
    """The big screen's state. `history`: round number -> {"card": card view, "first": {team: counts},
    "second": {team: counts}} for every ballot a table has revealed (game/play/live_views.py)."""
    room, views = overview["room"], overview["teams"]
    min_group = min_group_of({"settings": room.get("settings", {})})
    sizes = team_sizes(views)
    shown = released_teams(sizes, min_group)
    playing = [v for v in views if sizes[v["team"]["id"]] > 0]
    closed = not room.get("open", True)
    finished = closed or (bool(playing) and all(v["phase"] == "finished" for v in playing))
    started = any(v["rounds_done"] > 0 or v["phase"] != "draw" for v in views)
    cards = []
    for number in sorted(history):
        entry = history[number]
        choices = entry["card"]["choices"]
        first_final = closed or all(_first_final(v, number) for v in playing)
        second_final = closed or all(_second_final(v, number) for v in playing)
        cards.append({
            "round": number, "card": entry["card"],
            "tables_done": sum(1 for v in playing if _first_final(v, number)), "tables": len(playing),
            "first": card_result(entry["first"], shown, choices, min_group) if first_final else None,
            "second": card_result(entry["second"], shown, choices, min_group) if second_final and entry["second"] else None,
        })
    done = {c["round"] for c in cards if c["first"]}
    covered = sorted({th for c in overview.get("cards", []) if any(v["rounds_done"] >= c["position"] for v in views)
                      for th in c.get("themes", [])})
    return {
        "room": {k: room.get(k) for k in ("code", "title", "language", "open", "paused", "message", "cards_total", "themes")}
        | {"pacing": room.get("settings", {}).get("pacing"), "points": bool(room.get("settings", {}).get("points")),
           "min_group": min_group},
        "started": started, "finished": finished,
        "player_count": sum(sizes.values()),
        "tables": [_table(v, v["team"]["id"] in shown) for v in views],
        "current": _current(views, playing),
        "cards": cards,
        "themes_covered": covered,
        "headlines": _headlines(cards, views) if finished else None,
        "cards_final": len(done),
    }


def _table(view: dict, released: bool) -> dict:
    """One table on the big screen: progress and counts, never who."""
    voting = view["phase"] in ("vote", "revote")
    card = view.get("card")
    return {"id": view["team"]["id"], "name": view["team"]["name"], "phase": view["phase"], "round": view["round"],
            "rounds_done": view["rounds_done"], "cards_total": view["cards_total"], "version": view.get("version", 0),
            "seated": sum(1 for p in view["players"] if not p.get("observer")),
            "online": sum(1 for p in view["players"] if p.get("online") and not p.get("observer")),
            "votes_cast": view["votes_cast"] if voting else None, "votes_needed": view["votes_needed"] if voting else None,
            "card_title": card["title"] if card and view["phase"] != "finished" else None,
            "seconds_left": view.get("seconds_left"), "paused": view.get("paused", False),
            "points": view.get("points") if released else None,
            "decisions": len(view.get("decisions", [])),
            "actions": sum(1 for d in view.get("decisions", []) if d.get("action"))}


def _current(views: list[dict], playing: list[dict]) -> dict | None:
    """The card in play (plenary: the same at every table): the card and how many have voted."""
    in_play = [v for v in playing if v.get("card") and v["phase"] != "finished"]
    if not in_play:
        return None
    number = max(v["round"] for v in in_play)
    same = [v for v in in_play if v["round"] == number]
    voting = [v for v in same if v["phase"] in ("vote", "revote")]
    ballot = 2 if any(v["phase"] == "revote" for v in voting) else 1
    # Tables that already revealed this ballot count as done (plenary: "x of y have voted" for the whole room).
    done = [v for v in same if v not in voting and (v["phase"] == "decide" if ballot == 2 else v["phase"] in AFTER_FIRST)]
    phases = sorted({v["phase"] for v in same})
    return {"round": number, "card": same[0]["card"], "phases": phases, "cards_total": same[0]["cards_total"],
            "votes_cast": sum(v["votes_cast"] for v in voting + done),
            "votes_needed": sum(v["votes_needed"] for v in voting) + sum(v["votes_cast"] for v in done),
            "ballot": ballot, "voting_tables": len(voting)}


def _headlines(cards: list[dict], views: list[dict]) -> dict:
    """At the end: where the room agreed most and where it was most divided (gated room totals only)."""
    results = []
    for c in cards:
        final = c["second"] or c["first"]
        if final and final["room"]:
            results.append({"round": c["round"], "title": c["card"]["title"], "card": c["card"], **final["room"]})
    ranked = sorted(results, key=lambda r: (-r["top_share"], r["round"]))
    return {"agreed": ranked[:HEADLINES],
            "divided": sorted(results, key=lambda r: (r["top_share"], r["round"]))[:HEADLINES] if len(results) > 1 else [],
            "decisions": sum(len(v.get("decisions", [])) for v in views),
            "actions": sum(1 for v in views for d in v.get("decisions", []) if d.get("action"))}
