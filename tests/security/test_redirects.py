"""Small ones of issue 17: local-path-only redirects (one helper), no client address in a log line."""
from __future__ import annotations

import logging

import pytest

from game.security import NoClientAddresses, local_path
from tests.security.test_authorisation import csrf_token

BYPASSES = ["//evil.example", "/\t/evil.example", "/%09/evil.example", "\\\\evil.example", "/\\evil.example",
            "/\nevil", "/ok\r\nLocation: //evil", "https://evil.example", "evil.example", "/%5Cevil.example",
            "/%0aevil", "", None, 42]


@pytest.mark.parametrize("target", BYPASSES)
def test_a_redirect_target_that_leaves_the_site_falls_back(target):
    assert local_path(target, "/rooms") == "/rooms"


def test_a_plain_local_path_is_kept():
    assert local_path("/rooms/KM4TQ8ZA?tab=2#x") == "/rooms/KM4TQ8ZA?tab=2#x"


@pytest.mark.parametrize("raw", ["/%09/evil.example", "//evil.example", "/%5C%5Cevil", "/%0d%0aX:1", "/\\evil"])
def test_login_and_language_never_send_the_browser_away(world, raw):
    client = world.app.test_client()
    token = csrf_token(client)
    login = client.post(f"/login?next={raw}", data={"csrf_token": token, "username": "begeleider-a",
                                                   "password": "een-lang-wachtwoord-a"})
    assert login.status_code == 302 and login.headers["Location"].startswith("/") and not login.headers["Location"].startswith("//")
    language = client.post("/language", data={"csrf_token": csrf_token(client), "locale": "en", "next": raw.replace("%09", "\t")})
    assert language.status_code == 303 and language.headers["Location"] == "/"


@pytest.mark.parametrize(("referrer", "expected"), [
    ("http://localhost/rooms/ABCD/submissions?x=1", "/rooms/ABCD/submissions?x=1"),
    ("https://evil.example/rooms", "/fallback"), ("http://localhost//evil.example", "/fallback"),
    ("http://localhost/%09/evil", "/fallback"), ("javascript:alert(1)", "/fallback"), ("http://[::1", "/fallback"),
    (None, "/fallback")])
def test_back_to_the_referring_page_only_on_this_site(referrer, expected):
    from flask import Flask

    from game.security import local_referrer

    headers = {"Referer": referrer} if referrer else {}
    with Flask(__name__).test_request_context("/x", headers=headers):
        assert local_referrer("/fallback") == expected


def test_a_log_line_names_no_client_address():
    record = logging.LogRecord("gevent.pywsgi", logging.ERROR, __file__, 1,
                               "<socket>: (from ('203.0.113.7', 51234)) Invalid HTTP method: %r", ("x" * 2000,), None)
    NoClientAddresses().filter(record)
    message = record.getMessage()
    assert "203.0.113.7" not in message and len(message) <= 301
    other = logging.LogRecord("x", logging.INFO, __file__, 1, "client 2001:db8::1 and 198.51.100.4:80", None, None)
    NoClientAddresses().filter(other)
    assert "2001:db8" not in other.getMessage() and "198.51.100.4" not in other.getMessage()


JUNK = [b"\x16\x03\x01\x02\x00 / HTTP/1.1\r\n\r\n",                # TLS to a plain port: "Invalid HTTP method"
        b"\x81\xfe\x00\x10abcdefgh\r\n\r\n",                      # a WebSocket frame read as a request
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"]  # a header no server accepts


def _send_junk(port: int) -> None:
    import socket

    for payload in JUNK:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(payload)
            s.settimeout(5)
            assert s.recv(100).startswith(b"HTTP/1.1 4")


@pytest.mark.server
@pytest.mark.parametrize("how", ["inzetspel serve", "gunicorn -c deploy/gunicorn.conf.py"])
def test_junk_on_the_port_is_logged_without_the_senders_address(how, start_server, sqlite_server_env, tmp_path):
    """The server library's own lines ("Invalid HTTP method … from ('127.0.0.1', 51234)" under `inzetspel serve`,
    "Invalid request from ip=127.0.0.1" under gunicorn) name the sender: they pass the address filter."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    import requests

    from tests.server.conftest import ROOT, free_port

    if how == "inzetspel serve":
        server = start_server("gevent", env=sqlite_server_env)
        port, read_log = server.port, server.log
    else:
        port, log_path = free_port(), tmp_path / "gunicorn.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "game.wsgi:app"],
                                    env={**sqlite_server_env, "BIND": f"127.0.0.1:{port}"}, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        read_log = log_path.read_text
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                assert time.monotonic() < deadline and proc.poll() is None, read_log()
                time.sleep(0.2)
    try:
        started = len(read_log())  # the start-up lines name the address the server listens on: not a client's
        _send_junk(port)
        time.sleep(0.5)
        lines = read_log()[started:]
        assert lines.count("[address]") >= 2, lines  # each server logs at least two of them, address filtered
        assert "127.0.0.1" not in lines, lines
    finally:
        if how != "inzetspel serve":
            proc.terminate()
            proc.wait(10)
