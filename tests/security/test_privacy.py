"""Privacy: a facilitator deletes a room with all its data, `inzetspel purge` removes rooms past retention and
nothing of them remains anywhere in the database, a room's data can be exported."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text, update

from game.play.privacy import delete_room, export_room, purge, room_tables
from game.rules.errors import RuleViolation
from game.store.models import Base, RoomRecord
from tests.report.conftest import play_room
from tests.security.test_authorisation import csrf_token, http_client
from tests.conftest import sign_in

MARK = "Zeldzaam-merkteken-7Q"


def played(db, facilitator_id: int, seed: int = 1) -> str:
    """A room played to the end through the use cases, with a traceable mark in a title."""
    code = play_room(db, facilitator_id, teams=2, players=6, cards=2, seed=seed)
    with db.transaction() as s:
        s.execute(update(RoomRecord).where(RoomRecord.code == code).values(title=f"{MARK} {code}"))
    return code


def text_dump(db) -> str:
    """Every text value in every table: what a purged room must not leave behind."""
    parts = []
    with db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)).mappings():
                parts.extend(str(v) for k, v in row.items() if v is not None)
    return "\n".join(parts)


def rows_of_room(db, room_id: int) -> dict[str, int]:
    from game.play.privacy import _ids

    tables = room_tables()
    with db.transaction() as s:
        return {name: len(s.execute(_ids(tables, name, room_id)).all()) for name in tables}


def test_every_table_that_holds_room_data_is_covered():
    """A table with a room/team/round/player column must belong to a room (else delete would miss it)."""
    covered = set(room_tables())
    for table in Base.metadata.sorted_tables:
        refs = {fk.column.table.name for fk in table.foreign_keys}
        if refs & {"rooms", "teams", "rounds", "players", "arguments"} and table.name not in covered:
            assert all(fk.parent.nullable for fk in table.foreign_keys if fk.column.table.name in covered), table.name


def test_a_deleted_room_leaves_nothing_and_the_other_room_is_untouched(db, facilitator_id_pair):
    fac_a, fac_b = facilitator_id_pair
    gone, kept = played(db, fac_a, 1), played(db, fac_b, 2)
    with db.transaction() as s:
        gone_id = s.scalar(select(RoomRecord.id).where(RoomRecord.code == gone))
        kept_id = s.scalar(select(RoomRecord.id).where(RoomRecord.code == kept))
    kept_before = rows_of_room(db, kept_id)
    assert rows_of_room(db, gone_id)["votes"] > 0
    with pytest.raises(RuleViolation):
        delete_room(db, fac_b, gone)  # not B's room
    deleted = delete_room(db, fac_a, gone)
    assert deleted.counts["votes"] > 0 and deleted.counts["rooms"] == 1
    assert all(n == 0 for n in rows_of_room(db, gone_id).values())
    assert rows_of_room(db, kept_id) == kept_before
    dump = text_dump(db)
    assert gone not in dump and f"{MARK} {gone}" not in dump and f"{MARK} {kept}" in dump


def test_purge_removes_rooms_past_retention_only(db, facilitator_id_pair):
    fac_a, _ = facilitator_id_pair
    old, recent = played(db, fac_a, 3), played(db, fac_a, 4)
    with db.transaction() as s:
        s.execute(update(RoomRecord).where(RoomRecord.code == old).values(created_at=dt.datetime(2020, 1, 1)))
    assert purge(db, 548) == [old]
    dump = text_dump(db)
    assert old not in dump and recent in dump
    assert purge(db, 548) == []


def enrich(db, code: str, facilitator_id: int) -> None:
    """Give the room a row in every table a room can have: comfort scores, helpful marks, a submitted
    dilemma, a report share link (besides the seats, rounds, votes, arguments and decisions of play)."""
    from game.report import sharing
    from game.store.models import (
        ArgumentRecord, ComfortRecord, HelpfulMarkRecord, PlayerRecord, RoundRecord, SubmissionRecord, TeamRecord,
    )

    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        room_id = room.id
        players = list(s.scalars(select(PlayerRecord.id).where(PlayerRecord.room_id == room_id)))
        rounds = list(s.scalars(select(RoundRecord.id).join(TeamRecord).where(TeamRecord.room_id == room_id)))
        argument = s.scalar(select(ArgumentRecord).join(RoundRecord).join(TeamRecord).where(TeamRecord.room_id == room_id))
        marker = next(p for p in players if p != argument.player_id)
        s.add(HelpfulMarkRecord(argument_id=argument.id, player_id=marker))
        s.add(ComfortRecord(round_id=rounds[0], player_id=players[0], score=2))
        s.add(SubmissionRecord(room_id=room_id, player_id=players[0], title=f"{MARK} dilemma", text=f"{MARK} tekst", options=[]))
    sharing.create_share(db, facilitator_id, room_id, 30, 5, f"{MARK} MT")


def test_purge_leaves_nothing_of_a_room_in_any_table(db, facilitator_id_pair):
    """Every table that holds room data has rows of the old room before the purge and none after; the
    other room is untouched; a template made from the old room and a follow-up room lose only the link."""
    from game.store.models import RoomTemplateRecord

    fac_a, fac_b = facilitator_id_pair
    old, kept = played(db, fac_a, 7), played(db, fac_b, 8)
    enrich(db, old, fac_a)
    enrich(db, kept, fac_b)
    follow_up = played(db, fac_a, 9)
    with db.transaction() as s:
        old_id = s.scalar(select(RoomRecord.id).where(RoomRecord.code == old))
        kept_id = s.scalar(select(RoomRecord.id).where(RoomRecord.code == kept))
        s.execute(update(RoomRecord).where(RoomRecord.code == follow_up).values(previous_room_id=old_id))
        s.execute(update(RoomRecord).where(RoomRecord.id == old_id).values(created_at=dt.datetime(2020, 1, 1)))
    with db.transaction() as s:
        s.add(RoomTemplateRecord(facilitator_id=fac_a, name="Sjabloon", source_room_id=old_id,
                                 spec={"deck_slug": "mobiliteit-bespreekbaar", "team_names": ["T"]}))
        # A dilemma of the old room accepted into a deck: the deck version's note names the room.
        from game.store.models import DeckRecord

        deck = s.scalars(select(DeckRecord).order_by(DeckRecord.id.desc())).first()
        deck.source = f"submission@#1 {old}:begeleider"
    before = rows_of_room(db, old_id)
    assert all(n > 0 for n in before.values()), {t: n for t, n in before.items() if not n}
    kept_before = rows_of_room(db, kept_id)
    assert purge(db, 548) == [old]
    assert all(n == 0 for n in rows_of_room(db, old_id).values())
    assert rows_of_room(db, kept_id) == kept_before
    dump = text_dump(db)
    assert old not in dump and f"{MARK} {old}" not in dump and f"{MARK} {kept}" in dump
    with db.transaction() as s:
        assert s.scalar(select(RoomRecord.previous_room_id).where(RoomRecord.code == follow_up)) is None
        assert s.scalar(select(RoomTemplateRecord.source_room_id).where(RoomTemplateRecord.name == "Sjabloon")) is None


def test_export_holds_the_room_and_no_secrets(db, facilitator_id_pair):
    fac_a, fac_b = facilitator_id_pair
    code = played(db, fac_a, 5)
    data = export_room(db, fac_a, code)
    assert data["room_code"] == code and data["tables"]["votes"] and data["tables"]["players"]
    text_out = json.dumps(data)
    assert "token_hash" not in text_out and "password_hash" not in text_out
    with pytest.raises(RuleViolation):
        export_room(db, fac_b, code)


def test_the_facilitator_deletes_a_room_from_the_rooms_page(world, cast):
    client = http_client(world, "facilitator_a")
    page = client.get("/rooms").get_data(as_text=True)
    assert f"/rooms/{world.code_a}/delete" in page and 'data-confirm="' in page
    response = client.post(f"/rooms/{world.code_a}/delete", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get(f"/rooms/{world.code_a}").status_code == 404
    # the tablets of the room were told their seat is gone (they forget the token)
    errors = cast.player_a.received("error")
    assert any(e["code"] == "seat/unknown" for e in errors)


def test_cli_purge_and_export(tmp_path, sqlite_url):
    """The commands an operator runs (in-process through click's runner: the same code as `inzetspel ...`)."""
    from click.testing import CliRunner

    from game.cli import cli
    from tests.server.conftest import base_env

    env = base_env(sqlite_url)
    runner = CliRunner()

    def run(*args: str):  # noqa: ANN202
        return runner.invoke(cli, list(args), env=env, catch_exceptions=False)

    code = run("rooms", "create", "--deck", "mobiliteit-bespreekbaar", "--teams", "1", "--cards", "1").output.strip().splitlines()[-1]
    out = tmp_path / "export.json"
    assert run("rooms", "export", code, "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text())["room_code"] == code
    assert out.stat().st_mode & 0o777 == 0o600  # the same HR data as the database: the owner only
    from sqlalchemy import create_engine

    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE rooms SET created_at = '2020-01-01 00:00:00'"))
    engine.dispose()
    dry = run("purge", "--dry-run")
    assert "would purge 1 room(s) older than 548 days" in dry.output  # the default: 18 months
    longer = runner.invoke(cli, ["purge", "--dry-run"], env={**env, "ROOM_RETENTION_DAYS": "4000"}).output
    assert "would purge 0 room(s) older than 4000 days" in longer  # configurable
    done = run("purge")
    assert "purged 1 room(s)" in done.output and code in done.output
    assert runner.invoke(cli, ["rooms", "delete", code, "--yes"], env=env).exit_code != 0  # already gone


@pytest.fixture
def facilitator_id_pair(db) -> tuple[int, int]:
    from game.play.accounts import create_facilitator

    return create_facilitator(db, "privacy-a", "een-lang-wachtwoord"), create_facilitator(db, "privacy-b", "een-lang-wachtwoord")


PER_PERSON = {"choice", "vote", "my_vote", "my_first_vote", "my_second_vote", "my_prediction", "prediction",
              "breakdowns", "by_role", "roles_breakdown", "comfort_score"}


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value)) if value else set()
    return set()


def test_dashboard_and_big_screen_carry_no_vote_of_a_person_and_no_role_breakdown(world, cast):
    """Role breakdowns exist only in the report (behind the minimum group size, tests/report/test_privacy.py);
    the facilitator's dashboard and the big screen get per-team counts and never a person's vote."""
    from game.extensions import socketio
    from game.rules.codes import screen_token

    cast.player_a.call("draw_card", {"round": 1})
    cast.player_a.call("cast_vote", {"round": 1, "choice": 2, "prediction": 1})
    cast.teammate_a.call("cast_vote", {"round": 1, "choice": 1})  # the reveal
    dashboard = cast.facilitator_a.call("watch_room", {"code": world.code_a})
    assert dashboard["ok"]
    screen = socketio.test_client(world.app, auth={"code": world.code_a,
                                                   "screen": screen_token(world.app.config["SECRET_KEY"], world.code_a)})
    overview = next(m["args"][0] for m in screen.get_received() if m["name"] == "screen")
    screen.disconnect()
    pushed = [m["args"][0] for m in cast.facilitator_a.client.get_received() if m["name"] == "team_progress"]
    for view in (dashboard["overview"], overview, *pushed):
        assert not _keys(view) & PER_PERSON, _keys(view) & PER_PERSON
    # A table of two is below the minimum group (5): its distribution reaches neither the dashboard nor the
    # big screen, which carries no names and no roles at all; the team itself saw it at the reveal.
    team = next(t for t in dashboard["overview"]["teams"] if t["team"]["id"] == cast.player_a.team_id)
    assert team["distribution"] is None and team["withheld"] and team["predictions"] is None
    assert not {"players", "role", "roles"} & _keys(overview)  # a table's "name" is the team's name


def test_a_plenary_room_with_a_one_player_table_sends_nothing_of_it_over_any_channel(app, db):
    """Issue 15, through the real socket handlers and broadcast: tables of five and one in plenary, both ballots,
    predictions, comfort. Everything the big screen receives carries no name and no role and no figure of
    either table on its own (together they are the room; alone the five would give the one away); the dashboard's
    pushes carry neither table's distribution, predictions, points or comfort counts; a tablet receives only its
    own table; the JSON report has no figure of the one-player table."""
    from game.extensions import socketio
    from game.play.accounts import create_facilitator
    from game.play.rooms import RoomSpec, create_room
    from game.report.service import render, room_id_for_code, room_report
    from game.rules.codes import screen_token
    from game.rules.settings import RoomSettings

    facilitator_id = create_facilitator(db, "begeleider-15", "een-lang-wachtwoord")
    code = create_room(db, facilitator_id, RoomSpec(
        deck_slug="mobiliteit-bespreekbaar", team_names=("Tafel Noord", "Tafel Alleen"), cards=1, shuffle=False,
        settings=RoomSettings(pacing="plenary", comfort=True, second_vote=True, team_quorum=1)))
    http = app.test_client()
    with http.session_transaction() as session:
        sign_in(app, session, facilitator_id)
    dashboard = socketio.test_client(app, flask_test_client=http)
    screen = socketio.test_client(app, auth={"screen": screen_token(app.config["SECRET_KEY"], code), "code": code})
    assert dashboard.emit("watch_room", {"code": code}, callback=True)["ok"]
    roles = ("Leidinggevende", "MT-lid", "HR", "OR-lid", "Medewerker", "Bestuurder / directeur")
    seats = []  # (client, player id, team id, name, role)
    for i, (team, role) in enumerate([(1, r) for r in roles[:5]] + [(2, roles[5])]):
        client = socketio.test_client(app)
        reply = client.emit("take_seat", {"code": code, "name": f"Naam{i}x", "role": role, "team": team}, callback=True)
        assert reply["ok"], reply
        seats.append((client, reply["seat"]["player_id"], reply["team"]["team"]["id"], f"Naam{i}x", role))
    joining = screen.get_received()  # while people join: counts per table only
    dashboard.get_received()  # (a table of five alone in the room was shown with its 0 points)
    assert all(t["points"] in (None, 0) for m in joining if m["name"] == "screen" for t in m["args"][0]["tables"])

    def step() -> None:
        assert dashboard.emit("advance_all", {"code": code}, callback=True)["ok"]

    step()  # the card
    for i, (client, *_) in enumerate(seats):
        assert client.emit("cast_vote", {"round": 1, "choice": 1 + i % 2, "prediction": 1}, callback=True)["ok"]
    step()  # the reveal
    step()  # the second vote
    for i, (client, *_) in enumerate(seats):
        assert client.emit("cast_vote", {"round": 1, "choice": 2 - i % 2}, callback=True)["ok"]
    step()  # to the decision
    for client, pid, team, *_ in seats:
        state = client.emit("get_state", {}, callback=True)
        if state["team"]["turn_player_id"] == pid:
            assert client.emit("record_decision", {"round": 1, "position": 1, "rationale": "samen"}, callback=True)["ok"]
    for client, *_ in seats:
        assert client.emit("rate_comfort", {"round": 1, "score": 1}, callback=True)["ok"]
    assert dashboard.emit("end_room", {"code": code}, callback=True)["ok"]

    received = joining + screen.get_received()
    assert {m["name"] for m in received} <= {"screen", "screen_voted"} and received
    text = json.dumps([m["args"] for m in received], ensure_ascii=False)
    assert not any(name in text or f'"{role}"' in text for _, _, _, name, role in seats)
    assert '"players"' not in text and '"role"' not in text and '"roles"' not in text
    for m in received:
        if m["name"] == "screen" and m["args"][0]["player_count"] == len(seats):
            assert all(t["points"] is None for t in m["args"][0]["tables"])
            for c in m["args"][0]["cards"]:
                assert all(not r or r["tables"] == [] for r in (c["first"], c["second"]))
    pushed = dashboard.get_received()
    progress = [m["args"][0] for m in pushed if m["name"] == "team_progress"]
    assert progress and all(v["distribution"] is None and v["distribution2"] is None and v["predictions"] is None
                            and v["points"] is None for v in progress)
    comfort = [m["args"][0] for m in pushed if m["name"] == "comfort"]
    assert comfort and all(c["rounds"] == [] and c["low"] == 0 for c in comfort)
    for client, _, team, *_ in seats:  # a tablet hears of its own table only
        for m in client.get_received():
            views = [m["args"][0]["team"]] if m["name"] == "state" else []
            assert all(v["team"]["id"] == team for v in views)
            assert m["name"] != "team_progress" and m["name"] != "screen"
    report = json.loads(render(room_report(db, room_id_for_code(db, code)), "json").body)
    row = next(r for c in report["cards"] for r in c["teams"] if r["team"] == "Tafel Alleen")
    assert row["differs_from_vote"] is None and row["position"] == 1  # the decision stays, its vote never beside it
    for c in report["cards"]:
        for b in (c.get("breakdowns") or {}).values():
            assert all(g["group"] != "Tafel Alleen" and g["n"] >= 5 for g in b["groups"])
    for client, *_ in seats:
        client.disconnect()
    screen.disconnect()
    dashboard.disconnect()
