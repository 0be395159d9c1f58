"""A venue behind one address, through the proxy headers as nginx sets them (issue 17): one guesser is stopped,
the 60 tablets behind the same address (half of them mistyping once) never notice; a guesser who writes its own
X-Forwarded-For gains nothing; failed logins from one address do not lock out a facilitator elsewhere."""
from __future__ import annotations

import re
import uuid

import pytest
import requests
import socketio as sio_client

from tests.security.test_server import client, create_room
from tests.server.conftest import disconnect_all

pytestmark = pytest.mark.server
VENUE = "203.0.113.50"  # every tablet of the venue, and the guesser, behind this one NAT address
ELSEWHERE = "198.51.100.20"


def _codes(n: int, prefix: str = "") -> list[str]:
    """`n` well-formed codes that no room has (digits mapped onto letters of the alphabet)."""
    table = str.maketrans("0123456789", "ABCDEFGHJK")
    return [(prefix + f"{i:08d}"[len(prefix):]).translate(table) for i in range(n)]


def behind(address: str, spoofed: str | None = None) -> requests.Session:
    """A browser at `address` as nginx reports it: `$proxy_add_x_forwarded_for` appends the peer's address to
    whatever X-Forwarded-For the client sent itself (`spoofed`), and the app (PROXY_COUNT=1) takes the last."""
    page = requests.Session()
    page.headers["X-Forwarded-For"] = f"{spoofed}, {address}" if spoofed else address
    return page


def tablet_socket(url: str, page: requests.Session) -> sio_client.Client:
    """The tablet's Socket.IO connection, with its browser's cookies (the join page's `inzet_client`)."""
    c = sio_client.Client(reconnection=False)
    cookies = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    c.connect(url, transports=["websocket"], headers={"X-Forwarded-For": page.headers["X-Forwarded-For"], "Cookie": cookies},
              wait_timeout=10)
    return c


def test_one_guesser_is_stopped_and_sixty_tablets_behind_the_same_address_all_join(start_server, sqlite_server_env):
    server = start_server("gevent", env={**sqlite_server_env, "PROXY_COUNT": "1"})
    code = create_room(sqlite_server_env, teams=6)
    guesser = client(server.url, address=VENUE)
    replies = [guesser.call("take_seat", {"code": c, "name": "Raden", "role": "HR"}, timeout=10) for c in _codes(30)]
    refusals = [r["error"]["code"] for r in replies]
    assert refusals[:10] == ["room/not_found"] * 10 and set(refusals[10:]) == {"rate/too_many_attempts"}, refusals
    assert guesser.call("take_seat", {"code": code, "name": "Raden", "role": "HR"}, timeout=10)["error"]["code"] == \
        "rate/too_many_attempts"  # a blocked client learns nothing, the right code included
    typos = iter(_codes(60, prefix="ZZ"))
    tablets = []
    for i in range(60):
        page = behind(VENUE)
        mistypes = i % 2 == 0  # half the venue mistypes once on the join page and once in the app, each its own typo
        if mistypes:
            assert page.get(f"{server.url}/r/{next(typos)}", timeout=10).status_code == 404
        assert page.get(f"{server.url}/r/{code}", timeout=10).status_code == 200, i  # never a 429
        tablet = tablet_socket(server.url, page)
        tablets.append(tablet)
        if mistypes:
            assert tablet.call("take_seat", {"code": next(typos), "name": f"T{i}", "role": "HR"}, timeout=10)["error"]["code"] == \
                "room/not_found"
        reply = tablet.call("take_seat", {"code": code, "name": f"Tablet {i}", "role": "HR"}, timeout=10)
        assert reply["ok"], (i, reply)
    disconnect_all((guesser, *tablets))


def test_a_guesser_that_writes_its_own_forwarded_address_still_counts_as_its_venue(start_server, sqlite_server_env):
    """A fresh browser and a made-up X-Forwarded-For for every guess: the address nginx saw is the one that
    counts, so the guesser stops its own address after JOIN_FAILURES_PER_IP; the venue's room still opens."""
    server = start_server("gevent", env={**sqlite_server_env, "PROXY_COUNT": "1", "JOIN_FAILURES_PER_IP": "40"})
    code, other = create_room(sqlite_server_env), create_room(sqlite_server_env)
    assert behind(VENUE).get(f"{server.url}/r/{code}", timeout=10).status_code == 200  # the venue's first tablet is in
    statuses = [behind(VENUE, spoofed=f"10.{i // 250}.{i % 250}.7").get(f"{server.url}/r/{guess}", timeout=10).status_code
                for i, guess in enumerate(_codes(50))]
    assert statuses[:40] == [404] * 40 and set(statuses[40:]) == {429}, statuses
    assert behind(VENUE, spoofed="10.99.99.99").get(f"{server.url}/r/{other}", timeout=10).status_code == 429  # no oracle
    assert behind(VENUE).get(f"{server.url}/r/{code}", timeout=10).status_code == 200  # the venue's own room
    assert behind(ELSEWHERE).get(f"{server.url}/r/{other}", timeout=10).status_code == 200  # another address


def _facilitator(env: dict, username: str, password: str) -> None:
    from game.play.accounts import create_facilitator
    from game.store.db import Database

    db = Database(env["DATABASE_URL"])
    try:
        create_facilitator(db, username, password)
    finally:
        db.dispose()


def _login(url: str, page: requests.Session, username: str, password: str) -> int:
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get(f"{url}/login", timeout=10).text).group(1)
    return page.post(f"{url}/login", data={"csrf_token": token, "username": username, "password": password},
                     allow_redirects=False, timeout=10).status_code


@pytest.mark.parametrize("proxy_count", ["1", "0"])
def test_failed_logins_from_one_address_do_not_lock_out_a_facilitator_elsewhere(proxy_count, start_server, sqlite_server_env):
    """With PROXY_COUNT=1 (every shipped config) the failures per address are the guesser's own; with 0, as
    before issue 17, every client looked like the proxy and the facilitator was locked out too (and the
    server says so in its log)."""
    # 5 failures per address instead of 20 (every failed login costs a scrypt hash: ~0.7 s here)
    server = start_server("gevent", env={**sqlite_server_env, "PROXY_COUNT": proxy_count, "LOGIN_FAILURES_PER_IP": "5"})
    _facilitator(sqlite_server_env, "begeleider", "een-lang-wachtwoord")
    guesser = behind(VENUE)
    for i in range(5):  # different usernames: the per-account limit is not what stops it
        assert _login(server.url, guesser, f"iemand-{uuid.uuid4().hex[:6]}-{i}", "fout-wachtwoord-123") == 200
    assert _login(server.url, guesser, "begeleider", "een-lang-wachtwoord") == 429
    facilitator = _login(server.url, behind(ELSEWHERE), "begeleider", "een-lang-wachtwoord")
    if proxy_count == "1":
        assert facilitator == 302
        assert "PROXY_COUNT=0" not in server.log()
    else:
        assert facilitator == 429  # the lockout of issue 17
        assert server.log().count("PROXY_COUNT=0") == 1  # said once
