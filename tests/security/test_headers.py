"""Odd header values never give a 500 (issue 17): every answer is a page or a clear refusal."""
from __future__ import annotations

import pytest

ODD_HEADERS = [
    {"Accept-Language": "x" * 5000},
    {"Accept-Language": "nl;q=abc, *;q=-1, ;;;"},
    {"Referer": "https://example.org/\u00e9\u2603?a=%ZZ"},
    {"Origin": "null"},
    {"Origin": "http://[::1"},
    {"Cookie": "session=\u00e9\u00e9\u00e9; inzet_client=%%%; =="},
    {"X-Forwarded-For": "not-an-address, , 999.1.1.1"},
    {"X-Forwarded-Proto": "gopher"},
    {"User-Agent": "u" * 20000},
    {"If-Modified-Since": "yesterday"},
    {"Range": "bytes=abc-def"},
    {"Content-Type": "multipart/form-data; boundary="},
]
PATHS = ["/", "/login", "/login?next=/rooms%0d%0aSet-Cookie:x=1", "/language?next=%0a", "/static/css/app.css",
         "/r/ABCD-EFGH", "/rooms", "/decks"]


@pytest.mark.parametrize("headers", ODD_HEADERS, ids=lambda h: next(iter(h)))
def test_an_odd_header_value_never_gives_a_server_error(world, headers):
    client = world.app.test_client()
    for path in PATHS:
        response = client.get(path, headers=headers)
        assert response.status_code < 500, (path, headers, response.status_code)
    response = client.post("/login", headers=headers, data={"username": "x", "password": "y"})
    assert response.status_code < 500
