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


def test_a_log_line_names_no_client_address():
    record = logging.LogRecord("gevent.pywsgi", logging.ERROR, __file__, 1,
                               "<socket>: (from ('203.0.113.7', 51234)) Invalid HTTP method: %r", ("x" * 2000,), None)
    NoClientAddresses().filter(record)
    message = record.getMessage()
    assert "203.0.113.7" not in message and len(message) <= 301
    other = logging.LogRecord("x", logging.INFO, __file__, 1, "client 2001:db8::1 and 198.51.100.4:80", None, None)
    NoClientAddresses().filter(other)
    assert "2001:db8" not in other.getMessage() and "198.51.100.4" not in other.getMessage()
