"""The report's numbers: a pure function from a room's stored play to one plain dict (also the JSON).

Every renderer (HTML, PDF, CSV, XLSX, JSON) works from this dict, so they cannot disagree. It holds
no display names; breakdowns by role or team pass the anonymity rules in measures.py.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from game.decks import card_from_data
from game.report import measures as m
from game.report.load import RoomData
from game.report.perceptions import perceptions
from game.report.sections import select_sections
from game.rules.cards import SCALE_LABELS

SCHEMA_VERSION = 1
FOLLOW_UP_DAYS = 182           # the follow-up session: about six months after this one
MAX_ARGUMENTS_PER_TEAM = 3     # "strongest arguments" kept per team and card (JSON, XLSX)
MAX_ARGUMENTS_PER_CARD = 4     # quoted on the card's page: spread over stances and teams
MAX_TEAM_ROWS = 8              # more teams than this: a card's decisions are grouped by position,
                               # and the team breakdown is left to the XLSX/JSON (a page stays a page)
MAX_RATIONALES_PER_GROUP = 3
FIRST, SECOND = 1, 2           # ballots: the first vote, and the vote after discussion
LOW_COMFORT_MAX = 2            # "can you live with it?" 1-5: a 1 or a 2 counts as "hard to live with"


@dataclass(frozen=True)
class ReportOptions:
    min_group: int = m.DEFAULT_MIN_GROUP
    today: dt.date | None = None          # for "is this earlier action due?" (tests pass a date)
    generated_at: dt.datetime | None = None


def build_report(data: RoomData, previous: RoomData | None = None, options: ReportOptions = ReportOptions()) -> dict:
    """The full report of a room (optionally compared with an earlier room of the same deck)."""
    min_group = max(m.LOWEST_MIN_GROUP, options.min_group)
    session_date = (data.ended_at or data.created_at).date()
    teams = dict(data.teams)
    index = _Index(data)
    cards = [_card(data, index, rc_id, pos, raw, teams, min_group) for rc_id, pos, raw in data.cards]
    played = [c for c in cards if c["rounds"] > 0 or c["votes_total"]]
    voters = {v.player_id for v in data.votes}
    participants = {p: data.players[p] for p in data.participant_ids if p in data.players}
    report = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": (options.generated_at or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat(),
        "language": data.language if data.language in SCALE_LABELS else "nl",
        "room": {
            "code": data.code, "title": data.title, "deck": {"slug": data.deck_slug, "title": data.deck_title},
            "date": session_date.isoformat(), "open": data.is_open, "teams": len(data.teams),
            "ended_at": data.ended_at.replace(microsecond=0).isoformat() if data.ended_at else None,
        },
        "participants": len(participants),
        "voters": len(voters),
        "participants_by_role": _count_by(data.roles, (role for role, _ in participants.values())),
        "participants_by_team": _count_by([name for _, name in data.teams], (teams[t] for _, t in participants.values()), key="team"),
        "cards_total": data.cards_total,
        "cards_played": len(played),
        "second_vote_used": any(c["second_vote"] for c in played),
        "privacy": {"min_group": min_group, "default_min_group": m.DEFAULT_MIN_GROUP,
                    "lowered": min_group < m.DEFAULT_MIN_GROUP},
        "cards": played,
        "actions": _actions(data, teams),
        "follow_up": {"days": FOLLOW_UP_DAYS, "proposed_date": _weekday(session_date + dt.timedelta(days=FOLLOW_UP_DAYS)).isoformat()},
        "perceptions": perceptions(data, {rc: (c["key"], c["title"], c["position"], c["kind"], len(c["choices"]))
                                          for rc, c in zip((rc for rc, _, _ in data.cards), cards)}, min_group),
        "comfort": _comfort_summary(played),
        "submissions": [{"title": s.title, "text": s.text, "options": list(s.options or []), "status": s.status}
                        for s in data.submissions],
        "comparison": _comparison(data, previous, played, options.today or session_date) if previous else None,
    }
    report["sections"] = select_sections(played)
    return report


def _count_by(order: list[str], values, key: str = "role") -> list[dict]:  # noqa: ANN001
    counts = Counter(values)
    names = list(order) + sorted(k for k in counts if k not in order)
    return [{key: name, "count": counts[name]} for name in names if counts[name]]


def _weekday(day: dt.date) -> dt.date:
    """Move a Saturday or Sunday to the Monday after."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _distribution(kind: str, choices: tuple[int, ...], chosen: list[int]) -> dict:
    counts = Counter(chosen)
    vector = [counts.get(v, 0) for v in choices]
    score = m.agreement(kind, vector)
    return {
        "counts": vector,
        "total": sum(vector),
        "agreement": None if score is None else {
            "score": score, "measure": "tastle-wierman" if kind == "statement" else "normalised-entropy",
            "reading": m.reading(kind, vector)},
        "majority": m.majority(vector),
        "mean": round(m.mean_position(vector), 3) if kind == "statement" and vector and sum(vector) else None,
    }


class _Index:
    """Rounds, votes and arguments grouped once, so a 40-card, 200-player room stays fast."""

    def __init__(self, data: RoomData):
        self.rounds: dict[int, list] = defaultdict(list)
        self.votes: dict[int, list] = defaultdict(list)
        self.arguments: dict[int, list] = defaultdict(list)
        self.comfort: dict[int, list[int]] = defaultdict(list)
        for c in data.comfort:
            self.comfort[c.round_id].append(c.score)
        for r in data.rounds:
            self.rounds[r.room_card_id].append(r)
        for v in data.votes:
            self.votes[v.round_id].append(v)
        for a in data.arguments:
            self.arguments[a.round_id].append(a)


def _card(data: RoomData, index: _Index, rc_id: int, position: int, raw: dict, teams: dict[int, str], min_group: int) -> dict:
    card = card_from_data(raw)
    kind, choices = card.kind.value, card.choices()
    labels = card.choice_labels(data.language)
    rounds = index.rounds.get(rc_id, [])
    round_ids = {r.id for r in rounds}
    team_of_round = {r.id: r.team_id for r in rounds}
    votes = [v for rid in round_ids for v in index.votes.get(rid, [])]
    first = [v for v in votes if v.ballot == FIRST]
    second = [v for v in votes if v.ballot == SECOND]
    dist = _distribution(kind, choices, [v.choice for v in first])
    second_dist = _distribution(kind, choices, [v.choice for v in second]) if second else None
    decisions = {d.round_id: d for d in data.decisions if d.round_id in round_ids}
    team_votes: dict[int, list[int]] = defaultdict(list)
    for v in first:
        team_votes[team_of_round[v.round_id]].append(v.choice)
    label_of = dict(zip(choices, labels))
    team_rows = []
    for r in sorted(rounds, key=lambda r: [t for t, _ in data.teams].index(r.team_id)):
        own = _distribution(kind, choices, team_votes.get(r.team_id, []))
        decision = decisions.get(r.id)
        team_rows.append({
            "team": teams[r.team_id],
            "skipped": r.skipped,
            "decided": decision is not None,
            "position": decision.position if decision else None,
            "position_label": label_of.get(decision.position) if decision and decision.position else None,
            "no_agreement": bool(decision and decision.position is None),
            "rationale": decision.rationale if decision else "",
            # Whether the decision differs from the team's own first vote (a team-level fact).
            "differs_from_vote": bool(decision and _differs(kind, decision.position, own["counts"])),
            "arguments": _strongest(kind, index.arguments.get(r.id, []), decision, label_of),
        })
    return {
        "key": card.key, "position": position, "kind": kind, "title": card.title, "text": card.text,
        "themes": list(card.themes), "rounds": sum(not r.skipped for r in rounds),
        "choices": [{"value": v, "label": label} for v, label in zip(choices, labels)],
        "votes": [{"value": v, "label": label, "count": n} for v, label, n in zip(choices, labels, dist["counts"])],
        "votes_total": dist["total"], "agreement": dist["agreement"], "majority": dist["majority"], "mean": dist["mean"],
        "second_vote": None if second_dist is None else {
            "votes": [{"value": v, "label": label, "count": n} for v, label, n in zip(choices, labels, second_dist["counts"])],
            "votes_total": second_dist["total"], "agreement": second_dist["agreement"],
            "majority": second_dist["majority"], "mean": second_dist["mean"]},
        "teams": team_rows,
        "decision_groups": _decision_groups(team_rows),
        "arguments": _card_arguments(team_rows),
        "breakdowns": _breakdowns(kind, choices, first, data, team_of_round, teams, min_group),
        "comfort": _comfort([score for rid in round_ids for score in index.comfort.get(rid, [])]),
    }


def _comfort(scores: list[int]) -> dict | None:
    """'Can you live with it?' on the card's team decisions: how many answered, how many found it hard
    (a count over all teams, never who; None when nobody was asked or answered)."""
    if not scores:
        return None
    return {"answers": len(scores), "low": sum(score <= LOW_COMFORT_MAX for score in scores), "low_max": LOW_COMFORT_MAX}


def _comfort_summary(played: list[dict]) -> dict:
    answers = sum(c["comfort"]["answers"] for c in played if c["comfort"])
    low_cards = sorted((c for c in played if c["comfort"] and c["comfort"]["low"]),
                       key=lambda c: (-c["comfort"]["low"] / c["comfort"]["answers"], c["position"]))
    return {"asked": answers > 0, "answers": answers, "low": sum(c["comfort"]["low"] for c in played if c["comfort"]),
            "low_max": LOW_COMFORT_MAX, "cards": [c["key"] for c in low_cards]}


def _differs(kind: str, position: int | None, counts: list[int]) -> bool:
    if position is None or not sum(counts):
        return False
    if kind == "statement":
        return abs(position - m.mean_position(counts)) >= 1.0
    top = m.majority(counts)
    return top is not None and top != position


def _strongest(kind: str, arguments: list, decision, label_of: dict) -> list[dict]:  # noqa: ANN001
    """Up to MAX_ARGUMENTS_PER_TEAM arguments: the most substantial (longest) one per stance,
    the decided position's stance first, then the stances argued most often."""
    by_stance: dict[str | None, list] = defaultdict(list)
    for a in arguments:
        by_stance[a.stance].append(a)
    decided = None
    if decision and decision.position is not None:
        decided = str(decision.position) if kind == "dilemma" else ("for" if decision.position >= 4 else
                                                                    "against" if decision.position <= 2 else None)
    order = sorted(by_stance, key=lambda s: (s != decided, -len(by_stance[s]), str(s)))
    picked = [max(by_stance[s], key=lambda a: (len(a.text), -arguments.index(a))) for s in order]
    if len(picked) < MAX_ARGUMENTS_PER_TEAM:  # room left: the next most substantial arguments
        rest = sorted((a for a in arguments if a not in picked), key=lambda a: -len(a.text))
        picked += rest[:MAX_ARGUMENTS_PER_TEAM - len(picked)]
    return [{"stance": a.stance,
             "stance_label": label_of.get(int(a.stance)) if a.stance and a.stance.isdigit() else a.stance,
             "text": a.text} for a in picked[:MAX_ARGUMENTS_PER_TEAM]]


def _decision_groups(team_rows: list[dict]) -> list[dict]:
    """The teams' decisions grouped by position (most teams first), with a few of their rationales."""
    groups: dict[tuple, dict] = {}
    for row in team_rows:
        if not row["decided"]:
            continue
        key = (row["no_agreement"], row["position"])
        group = groups.setdefault(key, {"position": row["position"], "label": row["position_label"],
                                        "no_agreement": row["no_agreement"], "teams": [], "rationales": []})
        group["teams"].append(row["team"])
        if row["rationale"] and row["rationale"] not in group["rationales"] and len(group["rationales"]) < MAX_RATIONALES_PER_GROUP:
            group["rationales"].append(row["rationale"])
    return sorted(groups.values(), key=lambda g: (-len(g["teams"]), g["no_agreement"], g["position"] or 0))


def _card_arguments(team_rows: list[dict]) -> list[dict]:
    """The card's quoted arguments: each pick prefers a stance, then a team, not quoted yet; then the
    longest (most substantial) text. So a 3-team room hears every team, a 20-team room every side."""
    pool = [{**a, "team": row["team"]} for row in team_rows for a in row["arguments"]]
    picked: list[dict] = []
    while pool and len(picked) < MAX_ARGUMENTS_PER_CARD:
        stances = Counter(a["stance"] for a in picked)
        teams = Counter(a["team"] for a in picked)
        best = min(pool, key=lambda a: (stances[a["stance"]], teams[a["team"]], -len(a["text"])))
        picked.append(best)
        pool.remove(best)
    return picked


def _breakdowns(kind, choices, first, data: RoomData, team_of_round, teams, min_group) -> dict:  # noqa: ANN001
    voters = {v.player_id: (data.players[v.player_id][0], teams[team_of_round[v.round_id]], v.choice)
              for v in first if v.player_id in data.players}
    return breakdowns(kind, choices, voters, min_group)


def breakdowns(kind: str, choices: tuple[int, ...], voters: dict, min_group: int) -> dict:
    """Role and team breakdowns of one card's votes (voter -> (role, team, choice)), after suppression.

    Each breakdown shows only groups of >= min_group voters, with complementary suppression; when both
    would be shown but together isolate fewer than min_group people, the team breakdown is withheld."""
    choice_of = {p: c for p, (_, _, c) in voters.items()}
    membership = {"role": {p: r for p, (r, _, _) in voters.items()}, "team": {p: t for p, (_, t, _) in voters.items()}}
    decisions = {name: m.suppress(Counter(groups.values()), min_group) for name, groups in membership.items()}
    cells = {name: m.cells(membership[name], decisions[name]) for name in membership}
    cross_leak = (not decisions["role"].suppressed and not decisions["team"].suppressed
                  and m.leaks_across(cells["role"], cells["team"], min_group))
    result = {}
    for name in ("role", "team"):
        decision = decisions[name]
        withheld = decision.suppressed or (name == "team" and cross_leak)
        groups = []
        if not withheld:
            members: dict[str, list[int]] = defaultdict(list)
            for person, cell in cells[name].items():
                members[cell].append(choice_of[person])
            for group in list(decision.shown) + ([m.OTHER] if decision.other_shown else []):
                dist = _distribution(kind, choices, members[group])
                groups.append({"group": group, "other": group == m.OTHER, "n": dist["total"], "counts": dist["counts"],
                               "agreement": dist["agreement"], "majority": dist["majority"], "mean": dist["mean"]})
        if withheld:
            note = "cross_withheld" if (name == "team" and cross_leak) else "all_small"
        elif decision.merged:
            # Merged groups are shown as "overig", or left out when that rest is empty of safe numbers.
            note = "merged" if decision.other_shown else "hidden"
        else:
            note = None
        result[name] = {"shown": bool(groups), "groups": groups, "note": note, "merged": len(decision.merged)}
    return result


def _actions(data: RoomData, teams: dict[int, str]) -> list[dict]:
    card_of = {rc_id: (pos, card_from_data(raw)) for rc_id, pos, raw in data.cards}
    round_of = {r.id: r for r in data.rounds}
    rows = []
    for d in data.decisions:
        if not d.action_what:
            continue
        rnd = round_of[d.round_id]
        pos, card = card_of[rnd.room_card_id]
        rows.append({"what": d.action_what, "owner": d.action_owner or "", "due": d.action_due.isoformat() if d.action_due else None,
                     "team": teams[rnd.team_id], "card": card.key, "card_title": card.title, "card_position": pos})
    rows.sort(key=lambda a: (a["due"] or "9999", a["card_position"], a["team"]))
    return rows


def _comparison(data: RoomData, previous: RoomData, played: list[dict], today: dt.date) -> dict:
    """Per shared card: the earlier and the current first vote, and the status of the earlier actions."""
    index = _Index(previous)
    before = {c["key"]: c for c in (_card(previous, index, rc, pos, raw, dict(previous.teams), m.DEFAULT_MIN_GROUP)
                                    for rc, pos, raw in previous.cards) if c["rounds"]}
    rows = []
    for card in played:
        old = before.get(card["key"])
        if old is None:
            continue
        old_score = old["agreement"]["score"] if old["agreement"] else None
        new_score = card["agreement"]["score"] if card["agreement"] else None
        rows.append({
            "card": card["key"], "title": card["title"], "kind": card["kind"],
            "previous": {"counts": [v["count"] for v in old["votes"]], "total": old["votes_total"],
                         "agreement": old["agreement"], "majority": old["majority"], "mean": old["mean"]},
            "current": {"counts": [v["count"] for v in card["votes"]], "total": card["votes_total"],
                        "agreement": card["agreement"], "majority": card["majority"], "mean": card["mean"]},
            "agreement_shift": round(new_score - old_score, 6) if old_score is not None and new_score is not None else None,
            "mean_shift": round(card["mean"] - old["mean"], 3) if card["mean"] is not None and old["mean"] is not None else None,
            "majority_changed": old["majority"] != card["majority"],
        })
    actions = _actions(previous, dict(previous.teams))
    for action in actions:
        due = dt.date.fromisoformat(action["due"]) if action["due"] else None
        # The game does not record whether an action was done: due ones are put on the agenda.
        action["status"] = "due" if due and due <= today else "open"
    prev_date = previous.ended_at or previous.created_at
    return {"previous_room": {"code": previous.code, "title": previous.title, "date": prev_date.date().isoformat(),
                              "participants": len(previous.players)},
            "cards": rows, "previous_actions": actions,
            "not_in_previous": [c["key"] for c in played if c["key"] not in before]}
