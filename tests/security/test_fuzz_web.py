"""Hostile input against every HTTP route (Hypothesis): paths, query strings, form bodies and uploads.

Per route and method, anonymous and signed in (as room A's facilitator, with a valid CSRF token or
without): path parameters that are real ids, ids of another room or junk; form fields named like the
app's real form fields (scraped from its pages, so the deck editor, deck import, room, share and
account forms are all reached) with hostile values; deck uploads that are YAML bombs, CSV formulas,
binary, wrong names. What must hold for every request:

- never a 5xx, never an ERROR in the log;
- a GET never changes the database; a refused request (4xx, or a POST answered with the form again)
  changes nothing either (every row of every table is compared).

Counts per route go to test-artifacts/security-figures.json (docs/security.md quotes them).
`make test` tries FUZZ_HTTP_EXAMPLES (default 5) per route and method; `make soak` many more.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.play import library
from game.report import sharing
from tests.security.conftest import build_world, copied_database, fingerprint
from tests.security.test_authorisation import FAC_A, http_client

FIGURES = Path(__file__).resolve().parents[2] / "test-artifacts" / "security-figures.json"
EXAMPLES = int(os.environ.get("FUZZ_HTTP_EXAMPLES", "5"))
COUNTS: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()
ACCEPTED: Counter[str] = Counter()
OWN_DECK = "fuzz-spel"

TEXT = st.one_of(
    st.text(max_size=60),
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["", " ", "\x00", "\ud800", "\u202e", "é" * 500, "x" * 5000, "=1+1", "+SUM(A1)", "@cmd", "-2+3",
                     "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "../../etc/passwd", "%00", "-1",
                     "0", "99999999999999999999", "1e309", "NaN", "KM4T-Q8ZA", "on", "true", "nl", "en", "dilemma",
                     "statement", "team", "plenary", "new", "{{7*7}}", "{% raw %}", "javascript:alert(1)", "//evil.example"]),
    st.integers(-(2**70), 2**70).map(str),
)
YAML_BOMB = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
slug: bom
title: *g
cards: *g
"""
UPLOADS = st.one_of(
    st.binary(max_size=3000),
    st.sampled_from([
        YAML_BOMB,
        b"!!python/object/apply:os.system ['echo pwned']\n",
        b"slug: x\ntitle: [" + b"[" * 5000 + b"]" * 5000 + b"]\n",
        b"id,kind,title,text,option_1,option_2\nk-01,dilemma,=HYPERLINK(\"http://evil\"),@SUM(1),+1,-1\n",
        "\ufeffid;kind;title;text\nk-01;statement;Titel;Tekst\n".encode(),
        b"id,kind,title\n" + b"k,dilemma," + b"x" * 200_000 + b"\n",
        b"\xff\xfe\x00\x00garbage",
        b"",
    ]),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
FILENAMES = st.sampled_from(["deck.yml", "deck.yaml", "mijn-spel.csv", "../../etc/passwd.yml", "x.exe", "", ".yml",
                             "a" * 300 + ".csv", "spel\x00.yml", "spel.CSV", "con.yml"])


@pytest.fixture(scope="module")
def web_world(tmp_path_factory, sqlite_template):
    world = build_world(copied_database(sqlite_template, tmp_path_factory.mktemp("webfuzz") / "web.db"),
                        LOGIN_FAILURES_PER_IP=10**9, LOGIN_FAILURES_PER_USER=10**9, JOIN_FAILURES_PER_IP=10**9,
                        JOIN_FAILURES_GLOBAL=10**9)
    library.duplicate_deck(world.db, "mobiliteit-bespreekbaar", OWN_DECK, "Fuzz spel", "begeleider-a")
    share = sharing.create_share(world.db, world.fac_a, _room_id(world), 30, 5, "MT")
    fields = scraped_field_names(world)
    yield world, fields, share
    world.db.dispose()


def _room_id(world) -> int:
    from sqlalchemy import select

    from game.store.models import RoomRecord

    with world.db.transaction() as s:
        return s.scalar(select(RoomRecord.id).where(RoomRecord.code == world.code_a))


def scraped_field_names(world) -> list[str]:
    """Every form field name on the app's pages (deck editor, import, rooms, share, accounts...)."""
    client = http_client(world, FAC_A)
    names = set()
    for url in ("/login", "/facilitators/new", "/account/password", "/rooms", f"/rooms/{world.code_a}",
                f"/rooms/{world.code_a}/report/share", "/decks", "/decks/new", f"/decks/{OWN_DECK}/edit",
                f"/rooms/{world.code_a}/submissions"):
        names |= set(re.findall(r'name="([^"]+)"', client.get(url).get_data(as_text=True)))
    names.discard("csrf_token")
    assert {"username", "password", "title", "file"} <= names, sorted(names)
    return sorted(names | set(QUERY_NAMES))


def query_names() -> list[str]:
    """The query and form parameters the views read themselves (request.args.get("version") and so on)."""
    names = set()
    for source in (Path(__file__).resolve().parents[2] / "game" / "web").glob("*.py"):
        names |= set(re.findall(r'request\.(?:args|form)\.get\("([a-z_]+)"', source.read_text()))
    return sorted(names)


QUERY_NAMES = query_names()
NUMBERS = st.one_of(st.sampled_from([0, -1, 1, 2, 2**31, 2**63, -(2**63) - 1, 10**20]), st.integers(-(2**70), 2**70)).map(str)


def routes(app) -> list[tuple[str, str]]:
    """Flask's own routes: not the static files, nor engine.io's path (Socket.IO payloads: test_fuzz_events.py)."""
    from game.app import SOCKETIO_ENDPOINTS

    return sorted({(r.rule, m) for r in app.url_map.iter_rules() if r.endpoint != "static" and r.endpoint not in SOCKETIO_ENDPOINTS
                   for m in r.methods - {"HEAD", "OPTIONS"}})


def _routes_for_params() -> list[tuple[str, str]]:
    from tests.conftest import make_app

    import tempfile

    app = make_app(f"sqlite:///{tempfile.mkdtemp()}/routes.db")
    try:
        return routes(app)
    finally:
        app.extensions["inzetspel.db"].dispose()


ROUTES = _routes_for_params()


def path_values(world, share: str) -> dict[str, st.SearchStrategy]:
    junk = TEXT.filter(lambda t: t and "/" not in t)
    return {
        "code": st.one_of(st.sampled_from([world.code_a, world.code_b, world.code_a.lower()]), junk),
        "slug": st.one_of(st.sampled_from([OWN_DECK, "mobiliteit-bespreekbaar"]), junk),
        "token": st.one_of(st.just(share), junk),
        "fmt": st.one_of(st.sampled_from(["yml", "csv", "pdf"]), junk),
        "int": st.one_of(st.integers(0, 5), st.integers(2**31, 2**70)),
        "filename": junk,
    }


def _quote(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")[:400]


def _safe(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@pytest.fixture(scope="module", autouse=True)
def write_figures():
    yield
    if not COUNTS:
        return
    FIGURES.parent.mkdir(exist_ok=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    figures["http_requests"] = sum(COUNTS.values())
    figures["http_routes"] = len(COUNTS)
    figures["http_per_route"] = dict(sorted(COUNTS.items()))
    figures["http_statuses"] = {str(k): v for k, v in sorted(STATUSES.items())}
    figures["http_accepted_posts"] = sum(ACCEPTED.values())
    FIGURES.write_text(json.dumps(figures, indent=2) + "\n")


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {r}" for r, m in ROUTES])
def test_hostile_http_requests_never_fail_the_server_or_change_what_they_refuse(route, web_world, caplog):
    world, fields, share = web_world
    rule, method = route
    if rule not in {r for r, _ in routes(world.app)}:
        pytest.skip("route not registered in this build")
    params = re.findall(r"<(?:([^:>]+):)?([^>]+)>", rule)
    values = path_values(world, share)
    keys = st.one_of(st.sampled_from(fields), TEXT)

    @settings(max_examples=EXAMPLES)
    @given(path=st.tuples(*[values["int"] if conv == "int" else values.get(name, values["code"]) for conv, name in params]),
           form=st.dictionaries(keys, TEXT, max_size=8),
           query=st.one_of(st.fixed_dictionaries({}, optional={n: st.one_of(NUMBERS, TEXT) for n in QUERY_NAMES}),
                           st.dictionaries(keys, TEXT, max_size=3)),
           signed_in=st.sampled_from([True, True, True, False]), with_token=st.sampled_from([True, True, True, False]),
           upload=st.one_of(st.none(), st.tuples(UPLOADS, FILENAMES)))
    def check(path, form, query, signed_in, with_token, upload) -> None:  # noqa: ANN001
        client = http_client(world, FAC_A if signed_in else "anonymous")
        parts = iter(path)
        url = re.sub(r"<[^>]+>", lambda _m: _quote(str(next(parts))) or "x", rule)
        if with_token:
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
            form = {**form, "csrf_token": token}
        caplog.clear()
        before = fingerprint(world.db)
        qs = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in query.items())
        if method == "GET":
            response = client.get(url, query_string=qs)
        elif upload is None:  # encoded by hand: lone surrogates become invalid UTF-8, as a hostile client sends
            body = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in form.items())
            response = client.post(url, query_string=qs, data=body, content_type="application/x-www-form-urlencoded")
        else:
            content, filename = upload
            data = {_safe(k): _safe(v) for k, v in form.items()} | {"file": (BytesIO(content), filename)}
            response = client.post(url, query_string=qs, data=data, content_type="multipart/form-data")
        status = response.status_code
        COUNTS[f"{method} {rule}"] += 1
        STATUSES[status] += 1
        assert status < 500, (method, url, status)
        assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")], caplog.text[-1500:]
        refused = method == "GET" or status >= 400 or status == 200
        if refused:
            assert fingerprint(world.db) == before, f"{method} {url} -> {status} changed the database"
        else:
            ACCEPTED[f"{method} {rule}"] += 1

    check()
