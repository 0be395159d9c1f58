"""Use cases say what happened (game/play/events.py); only game/live/broadcast.py turns that into socket events."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from game.play import facilitation, rooms, submissions, turns
from game.play.accounts import create_facilitator
from game.play.events import (
    BallotRevealed, ComfortRated, DilemmaSubmitted, PhaseChanged, PlayerMoved, RoomChanged, SeatTaken, TeamEvent, TimerStopped,
    VoteCast,
)
from game.play.rooms import RoomSpec
from game.rules.settings import RoomSettings

ROOT = Path(__file__).resolve().parents[2]


def _room(db, facilitator_id: int | None = None, **settings: object) -> str:
    return rooms.create_room(db, facilitator_id, RoomSpec(deck_slug="talent-en-passie", team_names=("A", "B"), cards=2, shuffle=False,
                                                          settings=RoomSettings(team_quorum=1, **settings)))


def _kinds(outcome) -> list[type]:  # noqa: ANN001
    return [type(e) for e in outcome.events]


def test_a_vote_short_of_the_ballot_says_only_who_has_voted(db):
    code = _room(db)
    seats = [rooms.take_seat(db, code, name, "HR", 1)[1] for name in ("Anna", "Bas")]
    turns.draw_card(db, seats[0], 1)
    first = turns.cast_vote(db, seats[0], 1, 1)
    assert _kinds(first) == [VoteCast] and first.team_views == {}
    vote = first.events[0]
    assert vote.voter_ids == frozenset({seats[0].player_id}) and vote.view["votes_cast"] == 1
    assert "choice" not in str(vote.view)  # who, never what
    last = turns.cast_vote(db, seats[1], 1, 2)
    assert _kinds(last) == [BallotRevealed] and last.team_views[seats[0].team_id]["phase"] == "discuss"


def test_a_seat_a_draw_and_a_decision_are_named_for_what_they_are(db):
    code = _room(db, second_vote=False)
    token, anna, joined = rooms.take_seat(db, code, "Anna", "HR", 1)
    assert _kinds(joined) == [SeatTaken] and joined.events[0].player_id == anna.player_id
    drawn = turns.draw_card(db, anna, 1)
    assert _kinds(drawn) == [PhaseChanged] and drawn.events[0].phase.value == "vote"
    turns.cast_vote(db, anna, 1, 1)  # the only voter: the ballot is revealed
    decided = turns.start_decision(db, anna, 1)
    assert _kinds(decided) == [PhaseChanged] and decided.events[0].phase.value == "decide"


def test_a_comfort_answer_carries_the_dashboards_counts(db):
    code = _room(db, second_vote=False, comfort=True)
    _, anna, _ = rooms.take_seat(db, code, "Anna", "HR", 1)
    turns.draw_card(db, anna, 1)
    turns.cast_vote(db, anna, 1, 1)
    turns.start_decision(db, anna, 1)
    turns.record_decision(db, anna, 1, 1, "Omdat het kan.", None, dt.date(2026, 12, 4))
    rated = turns.rate_comfort(db, anna, 1, 1)
    assert _kinds(rated) == [ComfortRated] and rated.events[0].counts["team_id"] == anna.team_id
    assert "seat" in rated.reply


def test_a_vote_timer_with_nobody_voted_stops_and_says_so(db):
    code = _room(db, vote_seconds=30)
    _, anna, _ = rooms.take_seat(db, code, "Anna", "HR", 1)
    turns.draw_card(db, anna, 1)
    later = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(minutes=5)
    assert turns.due_timers(db, later) == [anna.team_id]
    stopped = turns.expire_vote(db, anna.team_id, later)
    assert _kinds(stopped) == [TimerStopped] and stopped.team_views[anna.team_id]["phase"] == "vote"
    assert turns.due_timers(db, later) == []


def test_facilitator_changes_are_room_and_seat_events(db):
    facilitator_id = create_facilitator(db, "begeleider", "een-lang-wachtwoord")
    code = _room(db, facilitator_id)
    _, anna, _ = rooms.take_seat(db, code, "Anna", "HR", 1)
    paused = facilitation.set_paused(db, facilitator_id, code, True)
    assert set(_kinds(paused)) == {RoomChanged} and len(paused.team_views) == 2
    other_team = next(t for t in paused.team_views if t != anna.team_id)
    moved = facilitation.move_player(db, facilitator_id, anna.player_id, other_team)
    assert PlayerMoved(anna.player_id, anna.team_id, other_team) in moved.events
    assert set(moved.team_views) == {anna.team_id, other_team}
    assert all(isinstance(e, TeamEvent) or isinstance(e, PlayerMoved) for e in moved.events)


def test_a_submitted_dilemma_tells_the_facilitators_how_many_are_new(db):
    code = _room(db)
    _, anna, _ = rooms.take_seat(db, code, "Anna", "HR", 1)
    sent = submissions.submit(db, anna, "Thuiswerken", "Mag iedereen thuiswerken?", "dilemma", ["Ja", "Nee"])
    assert sent.events == [DilemmaSubmitted(anna.room_code, 1)]


def test_http_routes_and_use_cases_do_not_emit_socket_events_themselves():
    """Every game event reaches the sockets through game/live/broadcast.py (issue 18)."""
    for folder in ("web", "play", "store", "rules", "report"):
        for path in (ROOT / "game" / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "socketio.emit(" not in text and ".close_room(" not in text, path
