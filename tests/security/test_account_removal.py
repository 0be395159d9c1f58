"""Removing a facilitator account (issue 17): `inzetspel users remove NAME [--rooms-to OTHER]`.

An account that owns rooms is removed only together with handing its rooms to another account, in one
transaction; without one the removal is refused and nothing changes. The removed account's sessions end
with it: a cookie copied before is sent to the login page, and a live facilitator socket on a running
server (another process than the CLI) is refused at its next event."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from game.play import accounts
from game.play.rooms import RoomSpec, create_room, rooms_of
from game.play.templates import save_template, templates_of
from game.rules.errors import RuleViolation
from game.store.models import FacilitatorRecord, RoomRecord
from tests.security.conftest import DECK, fingerprint
from tests.security.test_sessions import copy_of, live_socket, pause, signed_in_client
from tests.security.test_web import login
from tests.server.conftest import base_env, run_cli


def cli_env(world) -> dict:  # noqa: ANN001
    return base_env(world.app.config["DATABASE_URL"])


def owner_of(db, code: str) -> int | None:  # noqa: ANN001
    with db.transaction() as s:
        return s.scalar(select(RoomRecord.facilitator_id).where(RoomRecord.code == code))


def exists(db, facilitator_id: int) -> bool:  # noqa: ANN001
    with db.transaction() as s:
        return s.get(FacilitatorRecord, facilitator_id) is not None


# --- accounts.remove_facilitator, on SQLite and PostgreSQL ---


def test_removing_an_account_with_rooms_without_an_heir_is_refused_and_changes_nothing(db):
    a = accounts.create_facilitator(db, "begeleider-a", "een-lang-wachtwoord-a")
    accounts.create_facilitator(db, "begeleider-b", "een-lang-wachtwoord-b")
    for _ in range(2):
        create_room(db, a, RoomSpec(deck_slug=DECK, team_names=("Team 1",), cards=2))
    before = fingerprint(db)
    with pytest.raises(RuleViolation) as refused:
        accounts.remove_facilitator(db, a)
    assert refused.value.code == "account/has_rooms" and refused.value.params == {"n": 2}
    assert "2" in refused.value.text()
    assert fingerprint(db) == before


def test_removing_an_account_hands_its_rooms_over_in_one_go(db):
    a = accounts.create_facilitator(db, "begeleider-a", "een-lang-wachtwoord-a")
    b = accounts.create_facilitator(db, "begeleider-b", "een-lang-wachtwoord-b")
    codes = {create_room(db, a, RoomSpec(deck_slug=DECK, team_names=("Team 1",), cards=2)) for _ in range(3)}
    own = create_room(db, b, RoomSpec(deck_slug=DECK, team_names=("Team 1",), cards=2))
    save_template(db, a, "Mijn opzet", RoomSpec(deck_slug=DECK, team_names=("Team 1",)))
    assert accounts.remove_facilitator(db, a, rooms_to=b) == 3
    assert not exists(db, a)
    assert {r["code"] for r in rooms_of(db, b)} == codes | {own}
    assert templates_of(db, a) == []  # saved settings go with the account
    assert accounts.signed_in(db, a, 0) is None


def test_the_rooms_go_to_another_existing_account_only(db):
    a = accounts.create_facilitator(db, "begeleider-a", "een-lang-wachtwoord-a")
    code = create_room(db, a, RoomSpec(deck_slug=DECK, team_names=("Team 1",), cards=2))
    before = fingerprint(db)
    for heir, reason in ((a, "account/rooms_to_self"), (a + 1000, "account/unknown_rooms_to")):
        with pytest.raises(RuleViolation) as refused:
            accounts.remove_facilitator(db, a, rooms_to=heir)
        assert refused.value.code == reason
    with pytest.raises(RuleViolation) as refused:
        accounts.remove_facilitator(db, a + 1000)
    assert refused.value.code == "account/unknown"
    assert fingerprint(db) == before and owner_of(db, code) == a


def test_an_account_without_rooms_is_removed_without_an_heir(db):
    a = accounts.create_facilitator(db, "begeleider-a", "een-lang-wachtwoord-a")
    assert accounts.remove_facilitator(db, a) == 0
    assert not accounts.has_facilitators(db)


def test_the_list_of_accounts_counts_their_rooms(db):
    a = accounts.create_facilitator(db, "begeleider-a", "een-lang-wachtwoord-a")
    accounts.create_facilitator(db, "begeleider-b", "een-lang-wachtwoord-b")
    create_room(db, a, RoomSpec(deck_slug=DECK, team_names=("Team 1",), cards=2))
    listed = accounts.list_facilitators(db)
    assert [(f.username, f.rooms) for f in listed] == [("begeleider-a", 1), ("begeleider-b", 0)]
    assert all(f.created_at is not None for f in listed)


# --- the command, run as its own process next to a "running server" (the test app) ---


def test_users_list_prints_each_account_with_its_rooms(world):
    done = run_cli(cli_env(world), "users", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["begeleider-a", "1"], ["begeleider-b", "1"]]


def test_removal_through_the_cli_ends_the_sessions_and_hands_the_rooms_over(world):
    client = signed_in_client(world)
    thief = copy_of(world, client)
    sock = live_socket(world, copy_of(world, client))
    assert pause(sock, world.code_a)["ok"]
    assert thief.get("/rooms").status_code == 200

    done = run_cli(cli_env(world), "users", "remove", "begeleider-a", "--rooms-to", "begeleider-b", "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "removed facilitator 'begeleider-a'; 1 room handed to 'begeleider-b'"

    for browser in (client, thief):
        gone = browser.get("/rooms")
        assert gone.status_code == 302 and "/login" in gone.headers["Location"]
    reply = pause(sock, world.code_a)  # the CLI is another process: refused at the next event
    assert reply["ok"] is False and reply["error"]["code"] == "auth/facilitator_only"
    sock.disconnect()
    assert owner_of(world.db, world.code_a) == world.fac_b
    other = world.app.test_client()
    assert login(other, "begeleider-b", "een-lang-wachtwoord-b").status_code == 302
    page = other.get("/rooms").get_data(as_text=True)
    assert f"/rooms/{world.code_a}" in page and f"/rooms/{world.code_b}" in page
    listed = run_cli(cli_env(world), "users", "list")
    assert [line.split()[:2] for line in listed.stdout.splitlines()] == [["begeleider-b", "2"]]


def test_the_cli_refuses_a_removal_that_would_orphan_rooms_and_changes_nothing(world):
    before = fingerprint(world.db)
    done = run_cli(cli_env(world), "users", "remove", "begeleider-a", "--yes")
    assert done.returncode == 1
    assert "--rooms-to" in done.stderr and "1" in done.stderr
    assert fingerprint(world.db) == before
    assert signed_in_client(world).get("/rooms").status_code == 200


@pytest.mark.parametrize("args, named", [
    (("niemand",), "niemand"),
    (("begeleider-a", "--rooms-to", "niemand"), "niemand"),
    (("begeleider-a", "--rooms-to", "begeleider-a"), "begeleider-a"),
])
def test_the_cli_names_an_unknown_or_wrong_account(world, args, named):
    before = fingerprint(world.db)
    done = run_cli(cli_env(world), "users", "remove", *args, "--yes")
    assert done.returncode == 1 and f"'{named}'" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert fingerprint(world.db) == before


def test_the_cli_asks_before_removing(world):
    before = fingerprint(world.db)
    declined = run_cli_with_input(world, "n\n", "users", "remove", "begeleider-a", "--rooms-to", "begeleider-b")
    assert declined.returncode == 1 and "Aborted" in declined.stderr
    assert fingerprint(world.db) == before
    agreed = run_cli_with_input(world, "y\n", "users", "remove", "begeleider-a", "--rooms-to", "begeleider-b")
    assert agreed.returncode == 0, agreed.stderr
    assert not exists(world.db, world.fac_a)


def run_cli_with_input(world, text: str, *args: str):  # noqa: ANN001, ANN201
    import subprocess

    from tests.server.conftest import INZETSPEL, ROOT

    return subprocess.run([INZETSPEL, *args], env=cli_env(world), input=text, capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


def test_a_removed_accounts_cookie_does_not_sign_in_as_the_next_account_created(world):
    client = world.app.test_client()
    assert login(client, "begeleider-b", "een-lang-wachtwoord-b").status_code == 302
    accounts.remove_facilitator(world.db, world.fac_b, rooms_to=world.fac_a)
    assert copy_of(world, client).get("/rooms").status_code == 302
    accounts.create_facilitator(world.db, "begeleider-c", "een-lang-wachtwoord-c")
    assert copy_of(world, client).get("/rooms").status_code == 302  # the copy kept by whoever took it
