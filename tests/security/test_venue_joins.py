"""Join codes at a venue, through the proxy headers as nginx sets them: one guesser is stopped, the 60
tablets behind the same address (some mistyping once) never notice (issue 17)."""
from __future__ import annotations

import pytest
import requests

from tests.security.test_server import client, create_room
from tests.server.conftest import disconnect_all

pytestmark = pytest.mark.server
VENUE = "203.0.113.50"  # every tablet of the venue, and the guesser, behind this one NAT address


def test_one_guesser_is_stopped_and_sixty_tablets_behind_the_same_address_all_join(start_server, sqlite_server_env):
    server = start_server("gevent", env={**sqlite_server_env, "PROXY_COUNT": "1"})
    code = create_room(sqlite_server_env, teams=6)
    guesser = client(server.url, address=VENUE)
    codes = [f"{i:08d}".translate(str.maketrans("0123456789", "ABCDEFGHJK")) for i in range(30)]
    replies = [guesser.call("take_seat", {"code": c, "name": "Raden", "role": "HR"}, timeout=10) for c in codes]
    refusals = [r["error"]["code"] for r in replies]
    assert refusals[:10] == ["room/not_found"] * 10 and set(refusals[10:]) == {"rate/too_many_attempts"}, refusals
    assert guesser.call("take_seat", {"code": code, "name": "Raden", "role": "HR"}, timeout=10)["error"]["code"] == \
        "rate/too_many_attempts"  # a blocked client learns nothing, the right code included
    tablets = []
    for i in range(60):
        page = requests.Session()
        page.headers["X-Forwarded-For"] = VENUE
        if i % 5 == 0:  # every fifth tablet mistypes once, on the page and on the socket
            typo = f"ZZZZ{i:04d}".translate(str.maketrans("0123456789", "ABCDEFGHJK"))
            assert page.get(f"{server.url}/r/{typo}", timeout=10).status_code == 404
        assert page.get(f"{server.url}/r/{code}", timeout=10).status_code == 200
        tablet = client(server.url, address=VENUE)
        if i % 5 == 0:
            assert tablet.call("take_seat", {"code": "ZZZZZZZZ", "name": f"T{i}", "role": "HR"}, timeout=10)["error"]["code"] == "room/not_found"
        reply = tablet.call("take_seat", {"code": code, "name": f"Tablet {i}", "role": "HR"}, timeout=10)
        assert reply["ok"], (i, reply)
        tablets.append(tablet)
    disconnect_all((guesser, *tablets))
