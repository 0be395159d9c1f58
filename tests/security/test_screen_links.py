"""Big-screen links can be ended: renewed from the dashboard (the old one stops, open screens are dropped),
and they expire with the room (an ended room's link says so and shows nothing else) (issue 17)."""
from __future__ import annotations

import re

from flask_socketio import SocketIOTestClient

from game.extensions import socketio
from game.rules.codes import screen_token
from tests.security.test_authorisation import FAC_A, FAC_B, csrf_token, http_client


def _link(client, code: str) -> str:
    page = client.get(f"/rooms/{code}").get_data(as_text=True)
    return re.search(r'href="(/screen/[^"]+)"[^>]*id="screen-link"', page).group(1)


def _screen_socket(world, token: str) -> SocketIOTestClient:
    return socketio.test_client(world.app, auth={"code": world.code_a, "screen": token})


def test_a_renewed_link_replaces_the_old_one_and_drops_open_screens(world):
    fac = http_client(world, FAC_A)
    old = _link(fac, world.code_a)
    assert fac.get(old).status_code == 200
    old_token = old.rsplit("/", 1)[1]
    screen = _screen_socket(world, old_token)
    assert any(m["name"] == "screen" for m in screen.get_received())
    response = fac.post(f"/rooms/{world.code_a}/screen-link", data={"csrf_token": csrf_token(fac)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rooms/{world.code_a}")
    new = _link(fac, world.code_a)
    assert new != old and fac.get(new).status_code == 200
    assert world.app.test_client().get(old).status_code == 404
    told = [m["args"][0]["code"] for m in screen.get_received() if m["name"] == "error"]
    assert told == ["screen/invalid"]
    again = _screen_socket(world, old_token)
    assert not any(m["name"] == "screen" for m in again.get_received())
    assert any(m["name"] == "screen" for m in _screen_socket(world, new.rsplit("/", 1)[1]).get_received())


def test_only_the_rooms_facilitator_can_renew_and_only_with_a_csrf_token(world):
    before = screen_token(world.app.config["SECRET_KEY"], world.code_a)
    other = http_client(world, FAC_B)
    assert other.post(f"/rooms/{world.code_a}/screen-link", data={"csrf_token": csrf_token(other)}).status_code == 404
    assert http_client(world, FAC_A).post(f"/rooms/{world.code_a}/screen-link").status_code == 400
    anon = world.app.test_client()
    assert anon.post(f"/rooms/{world.code_a}/screen-link", data={"csrf_token": csrf_token(anon)}).status_code in (302, 401)
    assert world.app.test_client().get(f"/screen/{world.code_a}/{before}").status_code == 200


def test_the_link_of_an_ended_room_shows_the_end_for_a_while_then_says_so_and_shows_nothing_else(world):
    import datetime as dt

    from sqlalchemy import select

    from game.play.screen_links import ENDED_GRACE
    from game.store.models import RoomRecord

    fac = http_client(world, FAC_A)
    link = _link(fac, world.code_a)
    assert fac.post(f"/rooms/{world.code_a}/end", data={"csrf_token": csrf_token(fac)}).status_code == 302
    # Right after the end (closing words, a reload of the projector): the screen page still opens, for its end view.
    assert world.app.test_client().get(link).status_code == 200
    with world.db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == world.code_a))
        room.ended_at = room.ended_at - ENDED_GRACE - dt.timedelta(minutes=1)
    response = world.app.test_client().get(link)
    assert response.status_code == 410
    body = response.get_data(as_text=True)
    assert "Team A1" not in body and world.code_a not in body and len(body) < 100
    assert not any(m["name"] == "screen" for m in _screen_socket(world, link.rsplit("/", 1)[1]).get_received())
    assert fac.post(f"/rooms/{world.code_a}/screen-link", data={"csrf_token": csrf_token(fac)}).status_code == 404
