"""The report's numbers: a pure function from a room's stored play to the typed report (game/report/model.py).

Every renderer works from this one object, so they cannot disagree. It holds no display names. Every
figure about a group's votes, predictions or comfort passes the privacy gate (game/rules/privacy.py):
the room's own distribution on a card, the vote after discussion, the paired change, the breakdowns,
the comfort counts; a team's decision stays visible (it is the team's own output, not a vote).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from game.decks import card_from_data
from game.report import model as rm
from game.report.load import RoomData
from game.report.note import decision_note
from game.report.perceptions import perceptions
from game.report.residue import live_tables, small_residue, small_rest_tables
from game.report.tally import camp_label, tally
from game.report.tally import group_of as released_group
from game.report.text import strings
from game.report.groups import card_groups
from game.rules import agreement, privacy, role_groups
from game.rules.cards import SCALE_LABELS
from game.rules.kinds import KindDefinition, kind_of
from game.rules.points import most_counted

FOLLOW_UP_DAYS = 182           # the follow-up session: about six months after this one
MAX_ARGUMENTS_PER_CARD = 4     # quoted on the card's page: spread over stances, most *nuttig* first
MAX_TEAM_ROWS = 8              # more teams than this: a card's decisions are grouped by position
MAX_RATIONALES_PER_GROUP = 3
FIRST, SECOND = 1, 2           # ballots: the first vote, and the vote after discussion
LOW_COMFORT_MAX = 2            # "can you live with it?" 1-5: a 1 or a 2 counts as "hard to live with"



@dataclass(frozen=True)
class ReportOptions:
    min_group: int = privacy.DEFAULT_MIN_GROUP
    language: str | None = None           # the reader's language (None: the room's) ...
    choose_language: Callable[[str], str] | None = None   # ... or chosen from the room's language (the web)
    today: dt.date | None = None          # for "is this earlier action due?" (tests pass a date)
    generated_at: dt.datetime | None = None
    action_status: dict[int, str] | None = None            # decision (round) id -> open/done/dropped
    previous_action_status: dict[int, str] | None = None


def build_report(data: RoomData, previous: RoomData | None = None, options: ReportOptions = ReportOptions()) -> rm.Report:
    """The full report of a room (optionally compared with an earlier room of the same deck)."""
    min_group = max(privacy.LOWEST_MIN_GROUP, options.min_group)
    room_language = data.language if data.language in SCALE_LABELS else "nl"
    language = options.language or (options.choose_language(room_language) if options.choose_language else room_language)
    session_date = (data.ended_at or data.created_at).date()
    teams = dict(data.teams)
    index = _Index(data)
    configured = data.settings.get("role_groups") or None
    group_of = role_groups.group_of_roles(sorted({r for r, _ in data.players.values()} | set(data.roles)), configured,
                                          data.language)
    cards = [_card(data, index, rc_id, pos, raw, teams, min_group, language, group_of) for rc_id, pos, raw in data.cards]
    played = [c for c in cards if c.rounds > 0 or c.votes_total]
    participants = {p: data.players[p] for p in data.participant_ids if p in data.players}
    actions = _actions(data, teams, options.action_status)
    comparison = None
    if previous is not None:
        from game.report.comparison import compare

        comparison = compare(previous, played, _previous_cards(previous, min_group, language), min_group, language,
                             _actions(previous, dict(previous.teams), options.previous_action_status))
    report = rm.Report(
        schema_version=rm.SCHEMA_VERSION,
        generated_at=(options.generated_at or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat(),
        language=language,
        room=rm.RoomInfo(code=data.code, title=data.title, deck_slug=data.deck_slug, deck_title=data.deck_title,
                         date=session_date.isoformat(), open=data.is_open, teams=len(data.teams),
                         ended_at=data.ended_at.replace(microsecond=0).isoformat() if data.ended_at else None),
        participants=len(participants),
        voters=len({v.player_id for v in data.votes}),
        participants_by_role=_count_by(data.roles, (role for role, _ in participants.values())),
        participants_by_team=_count_by([name for _, name in data.teams], (teams[t] for _, t in participants.values())),
        cards_total=data.cards_total,
        cards_played=len(played),
        second_vote_used=any(c.second or c.change for c in played),
        privacy=rm.Privacy(min_group, privacy.DEFAULT_MIN_GROUP, min_group < privacy.DEFAULT_MIN_GROUP),
        cards=played,
        actions=actions,
        follow_up_days=FOLLOW_UP_DAYS,
        follow_up_date=_weekday(session_date + dt.timedelta(days=FOLLOW_UP_DAYS)).isoformat(),
        perceptions=perceptions(data, {rc: (c.key, c.title, c.position, c.kind, len(c.choices))
                                       for rc, c in zip((rc for rc, _, _ in data.cards), cards)}, min_group),
        comfort=_comfort_summary(played, min_group),
        submissions=[{"title": s.title, "text": s.text, "options": list(s.options or []), "status": s.status}
                     for s in data.submissions],
        comparison=comparison,
        note=rm.DecisionNote([], [], [], [], [], 0),
        role_groups=_group_definitions(data.roles, group_of),
    )
    report.note = decision_note(report, strings(language))
    return report


def _count_by(order: list[str], values) -> list[rm.CountRow]:  # noqa: ANN001
    counts = Counter(values)
    names = list(order) + sorted(k for k in counts if k not in order)
    return [rm.CountRow(name, counts[name]) for name in names if counts[name]]


def _weekday(day: dt.date) -> dt.date:
    """Move a Saturday or Sunday to the Monday after."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


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


def _card(data: RoomData, index: _Index, rc_id: int, position: int, raw: dict, teams: dict[int, str], min_group: int,
          language: str, group_of: dict[str, str] | None = None) -> rm.CardResult:
    card = card_from_data(raw)
    kind = kind_of(card)
    choices = [rm.Choice(v, mark, label) for v, mark, label in
               zip(card.choices(), kind.marks(card), card.choice_labels(language))]
    rounds = index.rounds.get(rc_id, [])
    round_ids = {r.id for r in rounds}
    team_of_round = {r.id: r.team_id for r in rounds}
    votes = [v for rid in round_ids for v in index.votes.get(rid, [])]
    first = {v.player_id: v for v in votes if v.ballot == FIRST}
    second = {v.player_id: v for v in votes if v.ballot == SECOND}
    # Each ballot on its own terms: the tables shown live with their second vote need not be those shown with
    # their first (fewer voted again), so the second ballot's small rest is its own (issue 15).
    left_out = small_residue(first, team_of_round, data, min_group)
    left_out2 = small_residue(second, team_of_round, data, min_group)
    first = {p: v for p, v in first.items() if p not in left_out}
    second = {p: v for p, v in second.items() if p not in left_out2}
    first_counts = _counts(choices, (v.choice for v in first.values()))
    second_counts = _counts(choices, (v.choice for v in second.values()))
    team_rows = _team_rows(kind, choices, rounds, data, first, team_of_round, teams, min_group)
    label_of = {c.value: c.label for c in choices}
    t = strings(language)
    label_of.update({"for": t["for"], "against": t["against"]})
    quotes = _card_arguments(kind, [(a, teams[team_of_round[a.round_id]]) for rid in round_ids
                                    for a in index.arguments.get(rid, [])], label_of)
    comfort_of_table: dict[int, list[int]] = defaultdict(list)
    for rid in round_ids:
        comfort_of_table[team_of_round[rid]].extend(index.comfort.get(rid, []))
    # The dashboard showed some tables' counts: the card's count minus them must not be a few people's answers.
    quiet = small_rest_tables({t: len(s) for t, s in comfort_of_table.items()}, data, min_group)
    comfort_scores = [score for t, scores in comfort_of_table.items() if t not in quiet for score in scores]
    comfort = privacy.release_count(sum(s <= LOW_COMFORT_MAX for s in comfort_scores), len(comfort_scores), min_group) \
        if comfort_scores else None
    group_of = group_of or {}
    voters = {p: (data.players[p][0], teams[team_of_round[v.round_id]], v.choice)
              for p, v in first.items() if p in data.players}
    # The tables the live surfaces showed are published already: no breakdown may isolate few people with them.
    shown_live = live_tables(first, team_of_round, data)
    live = {p: (team_of_round[v.round_id] if team_of_round[v.round_id] in shown_live else None) for p, v in first.items()}
    breakdowns = _breakdowns(kind, choices, voters, min_group, group_of, live)
    return rm.CardResult(
        key=card.key, position=position, kind=kind.name, title=card.title, text=card.text, themes=list(card.themes),
        rounds=sum(not r.skipped for r in rounds), choices=choices,
        first=tally(kind, choices, first_counts, min_group),
        second=tally(kind, choices, second_counts, min_group) if second else None,
        ended=tally(kind, choices, _counts(choices, {**{p: v.choice for p, v in first.items()},
                                                     **{p: v.choice for p, v in second.items()}}.values()), min_group)
        if second else None,
        change=_change(kind, choices, first, second, min_group, _published_cells(voters, group_of, breakdowns, live),
                       _live_cells(second, team_of_round, data)) if second else None,
        votes_total=sum(first_counts),
        second_total=sum(second_counts),
        teams=team_rows,
        decision_groups=_decision_groups(team_rows),
        arguments=quotes,
        breakdowns=breakdowns,
        comfort=rm.Comfort(answers=comfort[1], low=comfort[0], low_max=LOW_COMFORT_MAX) if comfort else None,
        comfort_withheld=bool(comfort_scores) and comfort is None,
        left_out=len(left_out) + len(left_out2),
        groups=card_groups(kind, choices, breakdowns["role_group"], first, group_of, data, min_group) if first else None,
    )


def _counts(choices: list[rm.Choice], chosen) -> list[int]:  # noqa: ANN001
    counts = Counter(chosen)
    return [counts.get(c.value, 0) for c in choices]


def _published_cells(voters: dict, group_of: dict[str, str], breakdowns: dict[str, rm.Breakdown],
                     live: dict) -> list[dict]:
    """Each first voter's cell in every breakdown the card shows (and in the tables shown live)."""
    key_of = {"role_group": lambda role, team: group_of.get(role, role), "team": lambda role, team: team,
              "role": lambda role, team: role}
    cells = [live] if live else []
    for name, key in key_of.items():
        b = breakdowns.get(name)
        if b is None or not b.shown:
            continue
        named = {g.group for g in b.groups if not g.other}
        cells.append({p: (key(r, t) if key(r, t) in named else privacy.OTHER) for p, (r, t, _) in voters.items()})
    return cells


def _live_cells(ballot: dict, team_of_round: dict, data: RoomData) -> dict:
    """Each voter's table when the live surfaces showed its distribution of this ballot, else None."""
    shown = live_tables(ballot, team_of_round, data)
    return {p: (team_of_round[v.round_id] if team_of_round[v.round_id] in shown else None) for p, v in ballot.items()}


def _change(kind: KindDefinition, choices: list[rm.Choice], first: dict, second: dict, min_group: int,
            published: list[dict] = (), live_second: dict | None = None) -> rm.Change | None:  # type: ignore[assignment]
    """The paired change: only people who voted both times; withheld below the minimum group size, and when
    the paired people together with a breakdown shown beside it (`published`, first votes) or the tables
    shown live with their second vote (`live_second`) would isolate fewer."""
    paired = [p for p in second if p in first]
    twice = {p: p in second for p in first}
    if any(privacy.leaks_across({p: c[p] for p in first if p in c}, twice, min_group) for c in published):
        return None
    if live_second and privacy.leaks_across(live_second, {p: p in first for p in second}, min_group):
        return None
    # The card's first and second tallies minus the paired people's "before" and "after" are the people who
    # voted once: fewer than the minimum of them would be readable (the privacy gate's complement rule).
    if len(paired) < min_group or any(0 < len(ballot) - len(paired) < min_group for ballot in (first, second)):
        return None
    before = {p: first[p].choice for p in paired}
    after = {p: second[p].choice for p in paired}
    camp_counts = kind.camp_counts(_counts(choices, after.values()))
    reading = kind.read(_counts(choices, after.values()))
    camp = kind.camp_values(len(choices))[reading.top_camp]
    moved_in = sum(kind.camp_of(after[p]) == camp and kind.camp_of(before[p]) != camp for p in paired)
    moved_out = sum(kind.camp_of(before[p]) == camp and kind.camp_of(after[p]) != camp for p in paired)
    moves = Counter((before[p], after[p]) for p in paired if before[p] != after[p])
    difference = agreement.paired_difference(moved_in, moved_out)
    return rm.Change(
        paired=len(paired), changed=sum(moves.values()),
        moves=[rm.Move(a, b, n) for (a, b), n in sorted(moves.items(), key=lambda kv: (-kv[1], kv[0]))],
        camp=camp, camp_label=camp_label(kind, choices, camp),
        before=sum(kind.camp_of(before[p]) == camp for p in paired), after=camp_counts[reading.top_camp],
        difference=rm.Difference(difference.test, difference.p, difference.beyond_chance),
        first_only=len(first) - len(paired),
    )


def _team_rows(kind: KindDefinition, choices, rounds, data: RoomData, first: dict, team_of_round, teams,  # noqa: ANN001
               min_group: int) -> list[rm.TeamRow]:
    label_of = {c.value: c.label for c in choices}
    decisions = {d.round_id: d for d in data.decisions if d.round_id in team_of_round}
    team_votes: dict[int, list[int]] = defaultdict(list)
    for v in first.values():
        team_votes[team_of_round[v.round_id]].append(v.choice)
    order = [t for t, _ in data.teams]
    rows = []
    for r in sorted(rounds, key=lambda r: order.index(r.team_id)):
        decision = decisions.get(r.id)
        own = _counts(choices, team_votes.get(r.team_id, []))
        # The team's own vote may be released only at or above the minimum group size; so may the
        # comparison of its decision with that vote (it would give the vote away in a small team).
        released = privacy.release_group(own, min_group) is not None
        rows.append(rm.TeamRow(
            team=teams[r.team_id], skipped=r.skipped, decided=decision is not None,
            position=decision.position if decision else None,
            position_label=label_of.get(decision.position) if decision and decision.position else None,
            no_agreement=bool(decision and decision.position is None),
            rationale=decision.rationale if decision else "",
            differs_from_vote=_differs(kind, decision.position, own) if decision and released else None,
        ))
    return rows


def _differs(kind: KindDefinition, position: int | None, counts: list[int]) -> bool:
    """Did the team decide for what was not its first vote's majority? The game's one tie rule
    (rules/points.py): every camp tied for the most votes is the majority, so deciding for one is no departure."""
    if position is None or not sum(counts):
        return False
    camps = dict(zip(kind.camp_values(len(counts)), kind.camp_counts(counts)))
    return kind.camp_of(position) not in most_counted(camps)


def _decision_groups(team_rows: list[rm.TeamRow]) -> list[rm.DecisionGroup]:
    """The teams' decisions grouped by position (most teams first), with a few of their rationales."""
    groups: dict[tuple, rm.DecisionGroup] = {}
    for row in team_rows:
        if not row.decided:
            continue
        group = groups.setdefault((row.no_agreement, row.position),
                                  rm.DecisionGroup(row.position, row.position_label, row.no_agreement, [], []))
        group.teams.append(row.team)
        if row.rationale and row.rationale not in group.rationales and len(group.rationales) < MAX_RATIONALES_PER_GROUP:
            group.rationales.append(row.rationale)
    return sorted(groups.values(), key=lambda g: (-len(g.teams), g.no_agreement, g.position or 0))


def ranked_arguments(arguments: list[rm.ArgumentQuote]) -> list[rm.ArgumentQuote]:
    """Most *nuttig* taps first; among equals the more substantial (longer) text."""
    return sorted(arguments, key=lambda a: (-a.helpful, -len(a.text)))


def _card_arguments(kind: KindDefinition, arguments: list, label_of: dict) -> list[rm.ArgumentQuote]:  # noqa: ANN001
    """Every argument of the card, anonymous, ranked by *nuttig* taps; the first MAX_ARGUMENTS_PER_CARD (quoted on
    the card's page) are spread over the stances (each pick prefers a stance not quoted yet) and grouped by stance."""
    quotes = ranked_arguments([rm.ArgumentQuote(
        stance=a.stance, text=a.text, helpful=a.helpful, team=team,
        stance_label=label_of.get(int(a.stance) if a.stance.isdigit() else a.stance) if a.stance else None)
        for a, team in arguments])
    picked: list[rm.ArgumentQuote] = []
    pool = list(quotes)
    while pool and len(picked) < MAX_ARGUMENTS_PER_CARD:
        stances = Counter(a.stance for a in picked)
        best = min(pool, key=lambda a: (stances[a.stance], -a.helpful, -len(a.text)))
        picked.append(best)
        pool.remove(best)
    # Quoted grouped by option or side: the side of the most *nuttig* quote first; within a side the pick
    # order, which is by taps (a stable sort keeps it).
    side_order = {s: i for i, s in enumerate(dict.fromkeys(a.stance for a in picked))}
    return sorted(picked, key=lambda a: side_order[a.stance]) + pool


def _breakdowns(kind: KindDefinition, choices: list[rm.Choice], voters: dict, min_group: int,
                group_of: dict[str, str], live: dict | None = None) -> dict[str, rm.Breakdown]:
    """Role-group, team and role breakdowns of one card's first votes (voter -> (role, team, choice)), through
    the gate; in that order of precedence when two together would isolate too few people."""
    values = [c.value for c in choices]
    dimensions = {"role_group": {p: group_of.get(r, r) for p, (r, _, _) in voters.items()},
                  "team": {p: t for p, (_, t, _) in voters.items()},
                  "role": {p: r for p, (r, _, _) in voters.items()}}
    released = privacy.release_breakdowns(dimensions, {p: c for p, (_, _, c) in voters.items()}, values, min_group,
                                          published=[live] if live else ())
    result = {}
    for name in dimensions:
        b = released[name]
        groups = [released_group(kind, choices, g) for g in b.groups]
        result[name] = rm.Breakdown(shown=bool(groups), groups=groups, note=b.note,
                                    difference=_groups_difference(kind, groups))
    return result


def _groups_difference(kind: KindDefinition, groups: list[rm.Group]) -> rm.Difference | None:
    """Do the shown groups differ in their share of the camp that leads among them all, beyond chance?"""
    if len(groups) < 2:
        return None
    totals = [sum(kind.camp_counts(g.counts)) for g in groups]
    overall = [sum(col) for col in zip(*(kind.camp_counts(g.counts) for g in groups))]
    top = overall.index(max(overall))
    d = agreement.groups_difference([kind.camp_counts(g.counts)[top] for g in groups], totals)
    return rm.Difference(d.test, d.p, d.beyond_chance) if d else None


def _group_definitions(roles: list[str], group_of: dict[str, str]) -> list[rm.RoleGroupDef]:
    groups: dict[str, list[str]] = {}
    for role in roles:
        groups.setdefault(group_of.get(role, role), []).append(role)
    return [rm.RoleGroupDef(name, members) for name, members in groups.items()]


def _comfort_summary(played: list[rm.CardResult], min_group: int) -> dict:
    answers = sum(c.comfort.answers for c in played if c.comfort)
    low = sum(c.comfort.low for c in played if c.comfort)
    low_cards = sorted((c for c in played if c.comfort and c.comfort.low),
                       key=lambda c: (-c.comfort.low / c.comfort.answers, c.position))
    return {"asked": answers > 0, "answers": answers, "low": low, "low_max": LOW_COMFORT_MAX,
            "withheld": sum(c.comfort_withheld for c in played), "cards": [c.key for c in low_cards]}


def _actions(data: RoomData, teams: dict[int, str], statuses: dict[int, str] | None = None) -> list[rm.Action]:
    card_of = {rc_id: (pos, card_from_data(raw)) for rc_id, pos, raw in data.cards}
    round_of = {r.id: r for r in data.rounds}
    rows = []
    for d in data.decisions:
        if not d.action_what:
            continue
        rnd = round_of[d.round_id]
        pos, card = card_of[rnd.room_card_id]
        rows.append(rm.Action(what=d.action_what, owner=d.action_owner or "",
                              due=d.action_due.isoformat() if d.action_due else None, team=teams[rnd.team_id],
                              card=card.key, card_title=card.title, card_position=pos,
                              status=(statuses or {}).get(d.round_id, getattr(d, "status", None) or "open"),
                              id=d.round_id))
    rows.sort(key=lambda a: (a.due or "9999", a.card_position, a.team))
    return rows


def _previous_cards(previous: RoomData, min_group: int, language: str) -> dict[str, rm.CardResult]:
    index = _Index(previous)
    teams = dict(previous.teams)
    group_of = role_groups.group_of_roles(sorted({r for r, _ in previous.players.values()} | set(previous.roles)),
                                          previous.settings.get("role_groups") or None, previous.language)
    cards = (_card(previous, index, rc, pos, raw, teams, min_group, language, group_of) for rc, pos, raw in previous.cards)
    return {c.key: c for c in cards if c.rounds}
