"""Rooms played through the use cases while every live surface is recorded, and the figures of every surface
turned into claims about sets of answers, so that tests/security/test_privacy_surfaces.py can check them."""
from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import select

from game.play import facilitation, rooms, turns
from game.play.common import Outcome
from game.play.events import ComfortRated
from game.play.live_views import comfort_notice, dashboard_overview, screen_state, watch_views
from game.report.service import render, room_id_for_code, room_report
from game.rules.settings import RoomSettings
from game.store.models import ComfortRecord, PlayerRecord, RoomRecord, RoundRecord, TeamRecord, VoteRecord

DECK = "mobiliteit-bespreekbaar"
ROLES = ("Bestuurder / directeur", "MT-lid", "Leidinggevende", "HR", "Medewerker", "OR-lid")
TODAY = dt.date(2026, 11, 23)


@dataclass
class Spec:
    """A room to generate: who sits where with which role, and how everyone answers."""

    teams: int
    seats: list[tuple[int, str]]              # (team position 1.., role) per player
    plenary: bool = False
    second_vote: bool = False
    cards: int = 1
    seed: int = 0
    abstain: float = 0.0                      # chance that a player (not the first of a team) does not vote
    unanimous: bool = False                   # everyone chooses the first option
    min_group: int = 5                        # the room's own minimum (its setting: what the live surfaces use)
    silent: tuple[int, ...] = ()              # seats (by index) that never vote
    comfort_skip: float = 0.0                 # chance that a player does not answer "can you live with it?"
    no_comfort: tuple[int, ...] = ()          # seats (by index) that never answer it


@dataclass
class Recorded:
    """What the room's dashboards and big screen received, and the finished room's report (JSON)."""

    code: str
    dashboard: list[dict] = field(default_factory=list)   # team views as `team_progress` sends them
    comfort: list[dict] = field(default_factory=list)     # comfort counts as the dashboards receive them
    screens: list[dict] = field(default_factory=list)     # the big screen's states
    overviews: list[dict] = field(default_factory=list)   # the dashboard's overview (page load / watch_room)
    report: dict | None = None                            # the report as JSON
    typed_report: object = None                           # the typed report every other format is rendered from


def play(db, facilitator_id: int, spec: Spec, report: bool = True) -> Recorded:  # noqa: ANN001
    """Create, seat and play a room through the use cases, recording every live surface on the way."""
    rng = random.Random(spec.seed)
    settings = RoomSettings(pacing="plenary" if spec.plenary else "team", second_vote=spec.second_vote, comfort=True,
                            min_group=spec.min_group,
                            **({"team_quorum": 1} if "team_quorum" in RoomSettings.__dataclass_fields__ else {}))
    code = rooms.create_room(db, facilitator_id, rooms.RoomSpec(
        deck_slug=DECK, team_names=tuple(f"Tafel {i + 1}" for i in range(spec.teams)), cards=spec.cards,
        shuffle=False, roles=ROLES, settings=settings))
    rec = Recorded(code)
    seats = [rooms.take_seat(db, code, f"Speler {i}", role, team)[1] for i, (team, role) in enumerate(spec.seats)]
    silent = {seats[i].player_id for i in spec.silent}
    no_comfort = {seats[i].player_id for i in spec.no_comfort}
    by_team: dict[int, list] = {}
    for seat in seats:
        by_team.setdefault(seat.team_id, []).append(seat)
    views: dict[int, dict] = {}

    def record(outcome: Outcome) -> None:
        views.update(outcome.team_views)
        if outcome.team_views:
            rec.dashboard.extend(watch_views(db, code, list(outcome.team_views.values())))
        for event in outcome.events:
            if isinstance(event, ComfortRated):  # as game/live/broadcast.py sends it to the dashboards
                rec.comfort.append(comfort_notice(db, event.room_code, event.counts))

    def screen() -> None:  # the big screen after each step of the room (its figures change only there)
        rec.screens.append(screen_state(db, code))

    def advance(team_id: int) -> None:
        record(facilitation.advance_team(db, facilitator_id, team_id))

    def phase(team_id: int) -> str:
        return views[team_id]["phase"] if team_id in views else "draw"

    for number in range(1, spec.cards + 1):
        if spec.plenary:
            record(facilitation.advance_all(db, facilitator_id, code))
        else:
            for team_id in by_team:
                advance(team_id)
                if not spec.plenary and team_id % 2:
                    screen()  # between tables: a table drawing while others still play the card before
        for ballot in (1, 2) if spec.second_vote else (1,):
            for team_id, members in by_team.items():
                card = views[team_id]["card"]
                choices = [c["value"] for c in card["choices"]]
                for index, seat in enumerate(members):
                    if (index and rng.random() < spec.abstain) or seat.player_id in silent:
                        continue
                    choice = choices[0] if spec.unanimous else rng.choice(choices)
                    prediction = None
                    if ballot == 1:
                        prediction = rng.choice(choices if card["kind"] == "dilemma" else [-1, 0, 1])
                    record(turns.cast_vote(db, seat, number, choice, prediction=prediction))
                if not spec.plenary:
                    screen()  # table by table: a room total must not grow with each table's reveal
            voting = {"vote"} if ballot == 1 else {"revote"}
            if spec.plenary:
                if any(phase(t) in voting for t in by_team):
                    record(facilitation.advance_all(db, facilitator_id, code))
            else:
                for team_id in by_team:
                    if phase(team_id) in voting:
                        advance(team_id)
                        screen()
            screen()
            if ballot == 1 and spec.second_vote:  # on to the second vote
                if spec.plenary:
                    record(facilitation.advance_all(db, facilitator_id, code))
                else:
                    for team_id in by_team:
                        advance(team_id)
        for team_id, members in by_team.items():
            if phase(team_id) == "discuss":
                advance(team_id)
            turn = next(s for s in members if s.player_id == views[team_id]["turn_player_id"])
            record(turns.record_decision(db, turn, number, 1, "Toelichting", None, TODAY))
            for seat in members:
                if seat.player_id in no_comfort or (spec.comfort_skip and rng.random() < spec.comfort_skip):
                    continue
                record(turns.rate_comfort(db, seat, number, rng.choice([1, 2, 3, 4, 5])))
        screen()
    rec.overviews.append(dashboard_overview(db, facilitator_id, code))
    record(rooms.end_room(db, facilitator_id, code))
    rec.overviews.append(dashboard_overview(db, facilitator_id, code))  # after the end: every round's count settled
    rec.screens.append(screen_state(db, code))
    if report:
        rec.typed_report = room_report(db, room_id_for_code(db, code))
        rec.report = json.loads(render(rec.typed_report, "json").body)
    return rec


# --- the truth (from the database) and the claims each surface makes about it ---

@dataclass
class Truth:
    team_of: dict[int, int]                  # player -> team id
    team_name: dict[int, str]                # team id -> name
    team_by_name: dict[str, int]
    role_of: dict[int, str]
    votes: dict[tuple[int, int], dict[int, int]]       # (round, ballot) -> player -> choice (revealed ballots only)
    predictions: dict[int, set[int]]                   # round -> players who predicted
    comfort: dict[int, set[int]]                       # round -> players who answered
    seated: dict[int, int]                             # team id -> seated voters


def truth(db, code: str) -> Truth:  # noqa: ANN001
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        teams = {t.id: t.name for t in s.scalars(select(TeamRecord).where(TeamRecord.room_id == room.id))}
        players = s.scalars(select(PlayerRecord).where(PlayerRecord.room_id == room.id, PlayerRecord.observer.is_(False))).all()
        rows = s.execute(select(RoundRecord.number, RoundRecord.revealed_at, RoundRecord.revote_revealed_at, VoteRecord.player_id,
                                VoteRecord.ballot, VoteRecord.choice, VoteRecord.prediction)
                         .join(VoteRecord, VoteRecord.round_id == RoundRecord.id).where(RoundRecord.team_id.in_(teams))).all()
        comfort = s.execute(select(RoundRecord.number, ComfortRecord.player_id).join(RoundRecord, RoundRecord.id == ComfortRecord.round_id)
                            .where(RoundRecord.team_id.in_(teams))).all()
    votes: dict = {}
    preds: dict = {}
    for number, revealed, revealed2, pid, ballot, choice, prediction in rows:
        if (ballot == 1 and revealed) or (ballot == 2 and revealed2):
            votes.setdefault((number, ballot), {})[pid] = choice
        if ballot == 1 and prediction is not None and revealed:
            preds.setdefault(number, set()).add(pid)
    answered: dict = {}
    for number, pid in comfort:
        answered.setdefault(number, set()).add(pid)
    seated: dict = {t: 0 for t in teams}
    for p in players:
        seated[p.team_id] += 1
    return Truth({p.id: p.team_id for p in players}, teams, {n: i for i, n in teams.items()},
                 {p.id: p.role for p in players}, votes, preds, answered, seated)


Claim = tuple[str, frozenset, str]  # (universe, set of (player, round) answers, where it was shown)


def _answers(players, number: int) -> frozenset:  # noqa: ANN001
    return frozenset((p, number) for p in players)


def live_claims(rec: Recorded, t: Truth) -> list[Claim]:
    """Every figure the dashboards and big screen received, as the set of answers it is about."""
    claims: list[Claim] = []
    views = rec.dashboard + [v for o in rec.overviews for v in o["teams"]]
    for v in views:
        team, number = v["team"]["id"], v["round"]
        for key, ballot in (("distribution", 1), ("distribution2", 2)):
            if v.get(key):
                who = [p for p, _ in t.votes.get((number, ballot), {}).items() if t.team_of[p] == team]
                assert sum(d["count"] for d in v[key]) == len(who), ("dashboard", key, v["team"], number)
                claims.append((f"vote{ballot}", _answers(who, number), f"dashboard {key} {v['team']['name']} card {number}"))
        if v.get("predictions"):
            who = [p for p in t.predictions.get(number, ()) if t.team_of[p] == team]
            claims.append(("pred", _answers(who, number), f"dashboard predictions {v['team']['name']} card {number}"))
    for c in rec.comfort + [c for o in rec.overviews for c in o.get("comfort", [])]:
        rounds = []
        for r in c["rounds"]:
            who = [p for p in t.comfort.get(r["round"], ()) if t.team_of[p] == c["team_id"]]
            assert len(who) == r["answered"]
            rounds.append(_answers(who, r["round"]))
            claims.append(("comfort", rounds[-1], f"dashboard comfort team {c['team_id']} card {r['round']}"))
        if c["answered"]:
            claims.append(("comfort", frozenset().union(*rounds), f"dashboard comfort total team {c['team_id']}"))
    for state in rec.screens:
        for card in state["cards"]:
            number = card["round"]
            for key, ballot in (("first", 1), ("second", 2)):
                res = card.get(key)
                if not res:
                    continue
                everyone = t.votes.get((number, ballot), {})
                if res["room"]:
                    assert res["room"]["n"] == len(everyone), ("screen room", number, ballot)
                    claims.append((f"vote{ballot}", _answers(everyone, number), f"screen room card {number} ballot {ballot}"))
                for table in res["tables"]:
                    who = [p for p in everyone if t.team_of[p] == table["team_id"]]
                    assert table["n"] == len(who)
                    claims.append((f"vote{ballot}", _answers(who, number), f"screen table {table['team_id']} card {number}"))
    return claims


def left_out(number: int, t: Truth, min_group: int, ballot: int = 1, live_min: int | None = None) -> set[int]:
    """The oracle for the report's rule (game/report/residue.py), written again here from docs/privacy.md:
    tables shown live with a ballot are those released on their seated players with at least the room's
    minimum (`live_min`) of voters in that ballot; a rest of voters smaller than the report's min_group is
    left out of the card's figures of that ballot."""
    live_min = live_min or min_group
    from collections import Counter

    from game.rules.privacy import suppress

    everyone = t.votes.get((number, ballot), {})
    voters_of = Counter(t.team_of[p] for p in everyone)
    public = {team for team in suppress(t.seated, live_min).shown if voters_of[team] >= live_min}
    rest = {p for p in everyone if t.team_of[p] not in public}
    return rest if 0 < len(rest) < min_group and public else set()


def comfort_counted(number: int, t: Truth, min_group: int, live_min: int | None = None) -> set[int]:
    """The oracle for the report's comfort count: tables whose count the dashboard showed (released on their
    seated players, at least the room's minimum answered) and the rest, unless the rest is smaller than
    min_group (then it is left out)."""
    from collections import Counter

    from game.rules.privacy import suppress

    live_min = live_min or min_group
    everyone = t.comfort.get(number, set())
    answers_of = Counter(t.team_of[p] for p in everyone)
    public = {team for team in suppress(t.seated, live_min).shown if answers_of[team] >= live_min}
    rest = {p for p in everyone if t.team_of[p] not in public}
    return everyone - rest if 0 < len(rest) < min_group and public else set(everyone)


def report_claims(report: dict, t: Truth, live_min: int | None = None) -> list[Claim]:
    """Every group figure of the JSON report, as the set of answers it is about (`live_min`: the room's own
    minimum, when the report is read at another)."""
    claims: list[Claim] = []
    groups = {g["name"]: set(g["roles"]) for g in report.get("role_groups", [])}
    for card in report["cards"]:
        number = card["position"]
        out = left_out(number, t, report["privacy"]["min_group"], live_min=live_min)
        out2 = left_out(number, t, report["privacy"]["min_group"], ballot=2, live_min=live_min)
        assert card.get("left_out", 0) == len(out) + len(out2), ("left out", number, card.get("left_out"), len(out), len(out2))
        for key, ballot, gone in (("first", 1, out), ("second", 2, out2)):
            if card.get(key):
                everyone = [p for p in t.votes.get((number, ballot), {}) if p not in gone]
                claims.append((f"vote{ballot}", _answers(everyone, number), f"report card {number} {key} (room)"))
        if card.get("change"):  # the paired change: the first and second votes of those who voted twice
            paired = {p for p in t.votes.get((number, 1), {}) if p not in out} & {p for p in t.votes.get((number, 2), {}) if p not in out2}
            assert card["change"]["paired"] == len(paired), ("paired", number)
            claims += [(f"vote{ballot}", _answers(paired, number), f"report card {number} change (paired)") for ballot in (1, 2)]
        for dim, breakdown in (card.get("breakdowns") or {}).items():
            if not breakdown.get("shown"):
                continue
            claims.extend(_breakdown_claims(breakdown["groups"], dim, number, t, groups, f"report card {number} by {dim}",
                                            out))
        if card.get("comfort") and card["comfort"].get("answers"):
            who = comfort_counted(number, t, report["privacy"]["min_group"], live_min)
            assert card["comfort"]["answers"] == len(who), ("comfort answers", number)
            claims.append(("comfort", _answers(who, number), f"report card {number} comfort"))
        for g in (card.get("groups") or {}).get("groups", []):
            if g.get("expected") and g.get("expected_n"):
                members = _members("role_group", g, t, groups, card.get("groups", {}).get("groups", []))
                who = [p for p in t.predictions.get(number, ()) if p in members and p not in out]
                claims.append(("pred", _answers(who, number), f"report card {number} expected by group {g['group']}"))
    for pc in (report.get("perceptions") or {}).get("cards", []):
        number = pc["position"]
        out = left_out(number, t, report["privacy"]["min_group"], live_min=live_min)
        who = [p for p in t.predictions.get(number, ()) if p not in out]
        claims.append(("pred", _answers(who, number), f"report perceptions card {number}"))
    return claims


def _members(dim: str, g: dict, t: Truth, groups: dict, siblings: list[dict]) -> set[int]:
    everyone = set(t.team_of)
    if g.get("other"):
        named = [s for s in siblings if not s.get("other")]
        return everyone - set().union(*(_members(dim, s, t, groups, siblings) for s in named)) if named else everyone
    if dim == "team":
        return {p for p in everyone if t.team_name[t.team_of[p]] == g["group"]}
    if dim == "role":
        return {p for p in everyone if t.role_of[p] == g["group"]}
    roles = groups.get(g["group"], {g["group"]})
    return {p for p in everyone if t.role_of[p] in roles}


def _breakdown_claims(shown: list[dict], dim: str, number: int, t: Truth, groups: dict, where: str,
                      out: set[int] = frozenset()) -> list[Claim]:
    claims = []
    for ballot in (1, 2):
        everyone = [p for p in t.votes.get((number, ballot), {}) if p not in out]
        sets = [[p for p in everyone if p in _members(dim, g, t, groups, shown)] for g in shown]
        if all(len(s) == g["n"] for s, g in zip(sets, shown)):
            claims.extend((f"vote{ballot}", _answers(s, number), f"{where} {g['group']}") for s, g in zip(sets, shown))
            return claims
    raise AssertionError(f"{where}: cannot match the groups to the votes: {[(g['group'], g['n']) for g in shown]}")


def leaks(claims: list[Claim], min_group: int) -> list[str]:
    """Figures about fewer than `min_group` answers, shown or derivable as the difference between a shown
    total and shown parts of it (any set of disjoint parts)."""
    found = []
    by_universe: dict[str, set[tuple[frozenset, str]]] = {}
    for universe, answers, where in claims:
        if answers and len(answers) < min_group:
            found.append(f"{where}: {len(answers)} answers")
        if answers:
            by_universe.setdefault(universe, {})
            by_universe[universe].setdefault(answers, where)
    for universe, sets in by_universe.items():
        for whole, where in sets.items():
            parts = sorted((s for s in sets if s < whole), key=len, reverse=True)[:14]
            # Any collection of disjoint shown parts (up to four): the rest of the whole is derivable.
            for size in range(1, min(len(parts), 4) + 1):
                for combo in combinations(parts, size):
                    union = frozenset().union(*combo)
                    if sum(len(c) for c in combo) != len(union):
                        continue
                    rest = len(whole) - len(union)
                    if 0 < rest < min_group:
                        found.append(f"{where} minus {[sets[c] for c in combo]}: {rest} answers")
    return sorted(set(found))


# --- the report's other formats: the columns that count the people behind a figure ---
COUNT_COLUMNS = {"n", "stemmen", "votes", "voorspellingen", "predictions", "kunnen ermee leven: antwoorden",
                 "can live with it: answers"}


def small_counts_in_tables(tables: dict[str, list[list[str]]], min_group: int) -> list[str]:
    """Rows of the CSV files / XLSX sheets whose count column (n, votes, predictions, comfort answers) is
    between 1 and min_group - 1: a figure about a group below the minimum."""
    found = []
    for name, rows in tables.items():
        header = next((r for r in rows if any(str(c).strip().lower() in COUNT_COLUMNS for c in r)), None)
        if header is None:
            continue
        columns = [i for i, c in enumerate(header) if str(c).strip().lower() in COUNT_COLUMNS]
        for row in rows[rows.index(header) + 1:]:
            for i in columns:
                value = str(row[i]).strip() if i < len(row) and row[i] is not None else ""
                if value.isdigit() and 0 < int(value) < min_group:
                    found.append(f"{name}: {header[i]}={value} in {row[:4]}")
    return found


def report_tables(db, code: str, report: object = None) -> dict[str, list[list[str]]]:  # noqa: ANN001
    """The CSV files and the XLSX sheets of the room's report, as rows of cells."""
    import csv
    import io
    import zipfile

    from openpyxl import load_workbook

    report = report or room_report(db, room_id_for_code(db, code))
    tables = {}
    archive = zipfile.ZipFile(io.BytesIO(render(report, "csv").body))
    for name in archive.namelist():
        tables[f"csv {name}"] = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(render(report, "xlsx").body), read_only=True)
    for sheet in book.worksheets:
        tables[f"xlsx {sheet.title}"] = [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
    return tables


def small_labels(text: str, min_group: int) -> list[str]:
    """Groups labelled with fewer than the minimum in a report's text: "n = 1", "(n=4)", "1 stem", "3 votes"."""
    import re

    small = "|".join(str(n) for n in range(1, min_group))
    # Not the note that says how many votes of small tables were left out (a count of voters, not of answers).
    return re.findall(rf"\b(?:n\s*=\s*(?:{small})|(?:{small}) (?:stem|stemmen|vote|votes))\b(?! van tafels| of tables)", text)


def report_texts(report: object) -> dict[str, str]:
    """The HTML report's text (tags removed) and the PDF's text (pypdf), as a reader sees them."""
    import io
    import re

    from pypdf import PdfReader

    html = re.sub(r"<[^>]+>", " ", render(report, "html").body.decode())
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render(report, "pdf").body)).pages)
    return {"html": html, "pdf": pdf}
