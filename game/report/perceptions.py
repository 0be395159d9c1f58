"""Beeld en tegenbeeld (mutual perceptions): what players expected their team's majority to be, against
what the votes were. Pure: works on the loaded room, like aggregate.py.

With their first vote, players predict their team's majority (the facilitation setting `predictions`):
an option of a dilemma, a side of a statement's scale (-1 disagree, 0 neutral, 1 agree). A prediction is
right when it names the team's majority (any of tied options; rules/points.py decides, as in the game).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from game.report.residue import small_residue
from game.rules import privacy as m
from game.rules.cards import CardKind
from game.rules.kinds import kind_of
from game.rules.points import majority

# A card is listed under "expected differs from thought" when the expected and the voted distributions
# differ by at least this total variation distance (0 = identical, 1 = nothing in common) ...
PERCEPTION_GAP_MIN = 0.25
# ... at most this many cards, largest gap first.
PERCEPTION_MAX_CARDS = 6
SIDES = (-1, 0, 1)
FIRST = 1


def perceptions(data, cards: dict[int, tuple[str, str, int, str, int]], min_group: int) -> dict:  # noqa: ANN001
    """The section's numbers. `cards`: room card id -> (key, title, position, kind, number of options)."""
    round_card = {r.id: r.room_card_id for r in data.rounds}
    firsts: dict[int, list] = defaultdict(list)
    for v in data.votes:
        if v.ballot == FIRST and v.round_id in round_card:
            firsts[v.round_id].append(v)
    if not any(v.prediction is not None for votes in firsts.values() for v in votes):
        return {"available": False, "note": "no_predictions"}

    # The same voters every other figure of the card counts (residue.py: a small rest is left out).
    team_of_round = {r.id: r.team_id for r in data.rounds}
    by_card: dict[int, dict] = defaultdict(dict)
    for round_id, votes in firsts.items():
        for v in votes:
            by_card[round_card[round_id]][v.player_id] = v
    left_out = {rc: small_residue(voters, team_of_round, data, min_group) for rc, voters in by_card.items()}
    firsts = {rid: [v for v in votes if v.player_id not in left_out[round_card[rid]]] for rid, votes in firsts.items()}
    per_person: dict[int, list[bool]] = defaultdict(list)          # player -> right/wrong per prediction
    per_card: dict[int, dict] = {}
    for round_id, votes in firsts.items():
        rc_id = round_card[round_id]
        key, title, position, kind, options = cards[rc_id]
        card_kind = CardKind(kind)
        winners = majority(card_kind, {v.player_id: v.choice for v in votes})
        entry = per_card.setdefault(rc_id, {"expected": Counter(), "actual": Counter(), "made": 0, "right": 0})
        for v in votes:
            entry["actual"][kind_of(kind).camp_of(v.choice)] += 1
            if v.prediction is None:
                continue
            right = v.prediction in winners
            entry["expected"][v.prediction] += 1
            entry["made"] += 1
            entry["right"] += right
            per_person[v.player_id].append(right)

    made = sum(len(p) for p in per_person.values())
    right = sum(sum(p) for p in per_person.values())
    # The room's total passes the gate like any other group's figure (a room of two predicts too).
    released = m.release_count(right, made, min_group) if len(per_person) >= min_group else None
    if released is None:
        return {"available": False, "note": "too_few_predictions"}
    return {
        "available": True,
        "predictions": made,
        "right": right,
        "right_share": _share(right, made),
        "by_role": _by_role(data, per_person, min_group),
        "cards": _cards(per_card, cards, min_group),
        "gap_min": PERCEPTION_GAP_MIN,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _by_role(data, per_person: dict[int, list[bool]], min_group: int) -> dict:  # noqa: ANN001
    """How often each role predicted its team's majority right; roles of fewer than min_group predicting
    people are merged into "overig" (or left out), with complementary suppression as for votes."""
    role_of = {p: data.players[p][0] for p in per_person if p in data.players}
    people = Counter(role_of.values())
    decision = m.suppress(people, min_group)
    if decision.suppressed:
        return {"shown": False, "groups": [], "note": "all_small"}
    cells = m.cells(role_of, decision)
    groups = []
    for group in list(decision.shown) + ([m.OTHER] if decision.other_shown else []):
        members = [p for p, cell in cells.items() if cell == group]
        made = sum(len(per_person[p]) for p in members)
        right = sum(sum(per_person[p]) for p in members)
        groups.append({"group": group, "other": group == m.OTHER, "n": len(members), "predictions": made,
                       "right": right, "right_share": _share(right, made)})
    groups.sort(key=lambda g: (g["other"], -(g["right_share"] or 0), str(g["group"])))
    note = ("merged" if decision.other_shown else "hidden") if decision.merged else None
    return {"shown": True, "groups": groups, "note": note}


def _cards(per_card: dict[int, dict], cards: dict, min_group: int) -> list[dict]:
    """Per card: the distribution people expected against the one they voted, largest gap first; only
    cards on which at least min_group people predicted and voted (the privacy gate's minimum)."""
    rows = []
    for rc_id, entry in per_card.items():
        if entry["made"] < min_group or sum(entry["actual"].values()) < min_group:
            continue
        key, title, position, kind, options = cards[rc_id]
        values = kind_of(kind).camp_values(options)
        expected = _shares(entry["expected"], values)
        actual = _shares(entry["actual"], values)
        gap = round(sum(abs(expected[v] - actual[v]) for v in values) / 2, 4)
        rows.append({
            "card": key, "title": title, "position": position, "kind": kind, "predictions": entry["made"],
            "right": entry["right"], "right_share": _share(entry["right"], entry["made"]),
            "expected": [{"value": v, "share": expected[v]} for v in values],
            "actual": [{"value": v, "share": actual[v]} for v in values],
            "expected_top": _top(expected), "actual_top": _top(actual), "gap": gap,
            "listed": False,
        })
    rows.sort(key=lambda r: (-r["gap"], r["position"]))
    for row in rows[:PERCEPTION_MAX_CARDS]:
        row["listed"] = row["gap"] >= PERCEPTION_GAP_MIN
    return rows


def _shares(counts: Counter, values: tuple[int, ...]) -> dict[int, float]:
    total = sum(counts[v] for v in values)
    return {v: round(counts[v] / total, 4) if total else 0.0 for v in values}


def _top(shares: dict[int, float]) -> int | None:
    """The single most chosen value, or None on a tie."""
    best = max(shares.values(), default=0)
    winners = [v for v, s in shares.items() if s == best]
    return winners[0] if best and len(winners) == 1 else None
