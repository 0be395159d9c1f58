"""A venue behind one address, through the proxy headers as nginx sets them (issue 17): one guesser is stopped,
the 60 tablets behind the same address (half of them mistyping once) never notice; a guesser who writes its own
X-Forwarded-For gains nothing; failed logins from one address do not lock out a facilitator elsewhere."""
from __future__ import annotations

import os
import re
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio as sio_client

from tests.security.test_server import client, create_room
from tests.server.conftest import disconnect_all
from tests.server.test_two_processes import redis_url  # noqa: F401 - the fixture, shared

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
                     headers={"Referer": f"{url}/login"},  # as a browser sends it (over HTTPS the CSRF check wants it)
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


# --- through a real nginx with the shipped deploy/nginx.conf ------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
NGINX = "/usr/sbin/nginx"


class FromAddress(requests.adapters.HTTPAdapter):
    """A browser at another address: the whole of 127.0.0.0/8 is this machine, so nginx sees it as a client."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def browser(address: str = "127.0.0.1") -> requests.Session:
    page = requests.Session()
    page.trust_env = False  # no proxy from the environment
    page.mount("http://", FromAddress(address))
    return page


def _nginx_conf(tmp_path, conf: str, name: str) -> str:  # noqa: ANN001
    temp = "".join(f"{kind}_temp_path {tmp_path}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    path = tmp_path / name
    path.write_text(f"daemon off;\nworker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
                    f"events {{ worker_connections 2048; }}\nhttp {{\ninclude /etc/nginx/mime.types;\n{temp}{conf}\n}}\n")
    check = subprocess.run([NGINX, "-t", "-c", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    return str(path)


def shipped_nginx(tmp_path, port: int, upstreams: list[int]):  # noqa: ANN001, ANN201
    """deploy/nginx.conf as shipped, but for the ports, the certificate, the static folder and the log paths.
    The TLS version is checked with `nginx -t`; the one started serves the same server block on plain HTTP: the
    test's Socket.IO client (websocket-client) reads and writes one TLS socket from two threads, which OpenSSL
    does not allow, and lost a frame in one run of five (never without TLS, never in a browser).
    Returns (the URL, the access log's path, the nginx process) once nginx answers."""
    from tests.server.conftest import free_port

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (("listen 80;", f"listen 127.0.0.1:{free_port()};"),
                     ("/etc/ssl/inzetspel/fullchain.pem", str(tmp_path / "cert.pem")),
                     ("/etc/ssl/inzetspel/privkey.pem", str(tmp_path / "key.pem")),
                     ("/srv/inzetspel/static/", f"{ROOT}/static/"), ("/var/log/nginx/inzetspel.log", str(tmp_path / "access.log")),
                     ("server 127.0.0.1:8001;", f"server 127.0.0.1:{upstreams[0]};"),
                     ("server 127.0.0.1:8002;", f"server 127.0.0.1:{upstreams[-1]};")):
        assert old in conf, old
        conf = conf.replace(old, new)
    assert "listen 443 ssl http2;" in conf
    _nginx_conf(tmp_path, conf.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"), "tls.conf")
    served = _nginx_conf(tmp_path, conf.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};"), "served.conf")
    proc = subprocess.Popen([NGINX, "-c", served], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url, last = f"http://127.0.0.1:{port}", None
    for _ in range(50):
        try:
            last = browser().get(f"{url}/healthz", timeout=2)
            if last.ok:
                return url, str(tmp_path / "access.log"), proc
        except requests.RequestException as exc:
            last = exc
        time.sleep(0.1)
    proc.terminate()
    raise AssertionError((last, (tmp_path / "error.log").read_text()))


@pytest.mark.postgres
def test_a_venue_behind_one_address_through_the_shipped_nginx_and_two_processes(postgres_url, redis_url, start_server, tmp_path):
    """Two processes (PostgreSQL, Redis) behind deploy/nginx.conf as shipped, with the env of
    deploy/inzetspel.env.example (PROXY_COUNT=1): a guesser at the venue is stopped, 60 tablets of the venue
    joining at once, half of them mistyping, get in without one 429 from nginx or the app; another address's
    failed logins lock out only that address; nginx's log names nobody; a request flood gets nginx's 429."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.server.conftest import base_env, count_rows

    from tests.conftest import services_required
    from tests.server.conftest import free_port

    if not os.path.exists(NGINX):  # CI installs nginx-light (.ci/run): there a missing nginx is a failure
        reason = "nginx is not installed (apt-get install nginx-light)"
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}") if services_required() else pytest.skip(reason)
    port = free_port()
    public = f"http://127.0.0.1:{port}"  # as in deploy/inzetspel.env.example, for this address
    env = {**base_env(postgres_url), "MESSAGE_QUEUE": redis_url, "MESSAGE_QUEUE_CHANNEL": f"inzetspel-test-{uuid.uuid4().hex[:8]}",
           "PUBLIC_URL": public, "CORS_ALLOWED_ORIGINS": public, "PROXY_COUNT": "1", "LOGIN_FAILURES_PER_IP": "5"}
    servers = [start_server("gevent", env=env), start_server("gevent", env=env)]
    url, access_log, nginx = shipped_nginx(tmp_path, port, [s.port for s in servers])
    try:
        code = create_room(env, teams=6)
        _facilitator(env, "begeleider", "een-lang-wachtwoord")

        def socket_of(page: requests.Session) -> sio_client.Client:
            c = sio_client.Client(reconnection=False)
            c.connect(url, transports=["websocket"], headers={"Cookie": "; ".join(f"{k}={v}" for k, v in page.cookies.items())},
                      wait_timeout=60)
            return c

        guesser = socket_of(browser())
        refusals = [guesser.call("take_seat", {"code": c, "name": "Raden", "role": "HR"}, timeout=60)["error"]["code"]
                    for c in _codes(30)]
        assert refusals[:10] == ["room/not_found"] * 10 and set(refusals[10:]) == {"rate/too_many_attempts"}, refusals

        typos = _codes(60, prefix="ZZ")

        def tablet(i: int) -> tuple[int, list, sio_client.Client]:
            page, statuses = browser(), []
            if i % 2 == 0:
                statuses.append(page.get(f"{url}/r/{typos[i]}", timeout=60).status_code)
            statuses.append(page.get(f"{url}/r/{code}", timeout=60).status_code)
            sock = socket_of(page)
            if i % 2 == 0:
                statuses.append(sock.call("take_seat", {"code": typos[i + 1], "name": f"T{i}", "role": "HR"}, timeout=60)["error"]["code"])
            reply = sock.call("take_seat", {"code": code, "name": f"Tablet {i}", "role": "HR"}, timeout=60)
            statuses.append("ok" if reply["ok"] else reply["error"]["code"])
            return i, statuses, sock

        with ThreadPoolExecutor(60) as pool:  # the whole venue at once, as after a restart
            results = list(pool.map(tablet, range(60)))
        expected = {i: ([404, 200, "room/not_found", "ok"] if i % 2 == 0 else [200, "ok"]) for i in range(60)}
        assert {i: s for i, s, _ in results} == expected
        assert count_rows(env, "SELECT count(*) FROM players") == 60

        # Logins: an address that failed is stopped; the facilitator at the venue's address is not.
        other = browser("127.0.0.2")
        assert [_login(url, other, "begeleider", "fout-wachtwoord-1") for _ in range(5)] == [200] * 5
        assert _login(url, other, "begeleider-b", "fout-wachtwoord-1") == 429
        assert _login(url, browser(), "begeleider", "een-lang-wachtwoord") == 302

        lines = open(access_log).read().splitlines()
        assert len(lines) >= 90 and not [line for line in lines if "127.0.0" in line], lines[:3]  # 90 pages at least
        flood = browser("127.0.0.3")
        statuses = [flood.get(f"{url}/healthz", timeout=10).status_code for _ in range(300)]
        assert statuses[:150] == [200] * 150 and 429 in statuses, statuses  # nginx's limit_req, per address
        disconnect_all([guesser, *(s for _, _, s in results)])
    finally:
        nginx.terminate()
        nginx.wait(10)
