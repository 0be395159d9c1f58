"""Sessions that can be ended (issue 17): logout, a password change and "log out everywhere" end every
session of the account — a cookie copied before, and a live Socket.IO connection, too."""
from __future__ import annotations

from game.extensions import socketio
from game.play import accounts
from tests.security.test_authorisation import csrf_token
from tests.security.test_web import login

PASSWORD = "een-lang-wachtwoord-a"


def signed_in_client(world):  # noqa: ANN001, ANN201
    client = world.app.test_client()
    assert login(client, "begeleider-a", PASSWORD).status_code == 302
    return client


def copy_of(world, client):  # noqa: ANN001, ANN201
    """Another browser holding a copy of `client`'s session cookie (as a thief would)."""
    thief = world.app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def live_socket(world, client):  # noqa: ANN001, ANN201
    return socketio.test_client(world.app, flask_test_client=client)


def pause(sock, code: str):  # noqa: ANN001, ANN201
    return sock.emit("pause_room", {"code": code, "on": True}, callback=True)


def test_a_cookie_copied_before_logout_no_longer_opens_the_rooms_page(world):
    client = signed_in_client(world)
    thief = copy_of(world, client)
    assert thief.get("/rooms").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert thief.get("/rooms").status_code == 302
    assert client.get("/rooms").status_code == 302


def test_logout_ends_a_live_facilitator_socket(world):
    client = signed_in_client(world)
    sock = live_socket(world, copy_of(world, client))
    assert pause(sock, world.code_a)["ok"]
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert not sock.is_connected()  # cut at once on this process


def test_a_socket_on_another_process_is_refused_at_its_next_event(world):
    """Another process cannot be reached by the logout: its next facilitator event checks the version."""
    client = signed_in_client(world)
    sock = live_socket(world, copy_of(world, client))
    assert pause(sock, world.code_a)["ok"]
    accounts.end_sessions(world.db, world.fac_a)  # as if the logout happened on another process
    reply = pause(sock, world.code_a)
    assert reply["ok"] is False and reply["error"]["code"] == "auth/facilitator_only"


def test_a_password_change_ends_the_other_sessions_and_their_sockets(world):
    client = signed_in_client(world)
    other = copy_of(world, client)
    sock = live_socket(world, copy_of(world, client))
    token = csrf_token(client)
    changed = client.post("/account/password", data={"csrf_token": token, "current": PASSWORD,
                                                     "password": "nieuw-lang-wachtwoord", "confirm": "nieuw-lang-wachtwoord"})
    assert changed.status_code == 302
    assert client.get("/rooms").status_code == 200  # the browser that changed it stays signed in
    assert other.get("/rooms").status_code == 302
    assert not sock.is_connected()


def test_log_out_everywhere_keeps_this_browser_and_ends_the_others(world):
    client = signed_in_client(world)
    other = copy_of(world, client)
    sock = live_socket(world, copy_of(world, client))
    assert client.post("/account/logout-everywhere", data={"csrf_token": csrf_token(client)}).status_code == 302
    assert client.get("/rooms").status_code == 200
    assert other.get("/rooms").status_code == 302
    assert not sock.is_connected()
    fresh = live_socket(world, client)
    assert pause(fresh, world.code_a)["ok"]
    fresh.disconnect()


def test_a_removed_account_has_no_session_left(world):
    client = signed_in_client(world)
    sock = live_socket(world, copy_of(world, client))
    # Its rooms go to another account in the same transaction (tests/security/test_account_removal.py).
    assert accounts.remove_facilitator(world.db, world.fac_a, rooms_to=world.fac_b) == 1
    assert client.get("/rooms").status_code == 302
    reply = pause(sock, world.code_a)
    assert reply["ok"] is False and reply["error"]["code"] == "auth/facilitator_only"


def test_a_session_from_before_versions_still_works_until_the_first_logout(world):
    from sqlalchemy import update

    from game.store.models import FacilitatorRecord

    with world.db.transaction() as s:  # an account from before session versions is at version 0
        s.execute(update(FacilitatorRecord).where(FacilitatorRecord.id == world.fac_a).values(session_version=0))
    client = world.app.test_client()
    with client.session_transaction() as session:
        session["facilitator_id"] = world.fac_a  # no "sv": counts as version 0
    assert client.get("/rooms").status_code == 200
    accounts.end_sessions(world.db, world.fac_a)
    assert client.get("/rooms").status_code == 302
