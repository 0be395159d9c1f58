"""HTTP security: headers and CSP, no inline script, cookies, password hashing, login rate limit, password
change, failed-join rate limit (30 tablets behind one NAT still get in), seat tokens, CSV cells (the HTTP fuzz is in test_fuzz_web.py)."""
from __future__ import annotations

import base64
import re

from sqlalchemy import select

from game.security import CSP, FailureLimiter, neutralise_cell
from game.store.models import FacilitatorRecord
from tests.security.test_authorisation import csrf_token, http_client


def login(client, username: str, password: str):  # noqa: ANN201
    return client.post("/login", data={"csrf_token": csrf_token(client), "username": username, "password": password})


def test_every_page_carries_the_security_headers(world):
    client = world.app.test_client()
    for url in ("/", "/login", f"/r/{world.code_a}", "/nope"):
        response = client.get(url)
        h = response.headers
        assert h["Content-Security-Policy"] == CSP and "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
        assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
        assert h["Referrer-Policy"] == "same-origin" and "no-store" in h["Cache-Control"]
    assert "Strict-Transport-Security" in client.get("/", base_url="https://localhost").headers


def test_no_page_has_an_inline_script_or_handler(world):
    """What the CSP would block must not be there: inline <script> bodies and on...= attributes."""
    for actor, urls in (("anonymous", ["/", "/login", f"/r/{world.code_a}"]),
                        ("facilitator_a", ["/rooms", f"/rooms/{world.code_a}", "/facilitators/new", "/account/password"])):
        client = http_client(world, actor)
        for url in urls:
            page = client.get(url).get_data(as_text=True)
            for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
                assert "src=" in attrs or 'type="application/json"' in attrs, (url, attrs, body[:100])
            assert not re.search(r"\son[a-z]+\s*=", page), url
            assert "javascript:" not in page, url


def test_session_cookie_is_httponly_and_samesite(world):
    client = world.app.test_client()
    response = login(client, "begeleider-a", "een-lang-wachtwoord-a")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_when_configured(world_factory):
    world = world_factory(SESSION_COOKIE_SECURE=True)
    cookie = login(world.app.test_client(), "begeleider-a", "een-lang-wachtwoord-a").headers["Set-Cookie"]
    assert "Secure" in cookie


def test_passwords_are_stored_with_scrypt(world):
    with world.db.transaction() as s:
        hashes = list(s.scalars(select(FacilitatorRecord.password_hash)))
    assert hashes and all(h.startswith("scrypt:") for h in hashes)


def test_login_is_rate_limited_per_account_and_the_right_password_then_waits(world):
    client = world.app.test_client()
    for _ in range(world.app.config["LOGIN_FAILURES_PER_USER"]):
        assert login(client, "begeleider-a", "fout-wachtwoord-123").status_code == 200
    blocked = login(client, "begeleider-a", "een-lang-wachtwoord-a")
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    # Another account from the same address is not locked out by it.
    assert login(world.app.test_client(), "begeleider-b", "een-lang-wachtwoord-b").status_code == 302


def test_login_is_rate_limited_per_address(world_factory):
    world = world_factory(LOGIN_FAILURES_PER_IP=5)
    client = world.app.test_client()
    for i in range(5):
        login(client, f"iemand-{i}", "fout-wachtwoord-123")
    assert login(client, "begeleider-a", "een-lang-wachtwoord-a").status_code == 429


def login_from(world, address: str, username: str, password: str) -> int:
    client = world.app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return login(client, username, password).status_code


def test_wrong_passwords_from_elsewhere_do_not_lock_the_facilitator_out(world_factory):
    """Anyone who knows a username could lock its facilitator out of a session when failures counted per account
    alone (issue 17): they count per account and address; the brake over all addresses spares an address that
    signed in to the account before."""
    world = world_factory(LOGIN_FAILURES_PER_USER=3, LOGIN_FAILURES_PER_USER_ALL=6, LOGIN_FAILURES_PER_IP=1000)
    assert login_from(world, "192.0.2.1", "begeleider-a", "een-lang-wachtwoord-a") == 302  # the venue's laptop, earlier
    for _ in range(3):
        assert login_from(world, "203.0.113.9", "begeleider-a", "fout-wachtwoord-123") == 200
    assert login_from(world, "203.0.113.9", "begeleider-a", "een-lang-wachtwoord-a") == 429  # the guesser's address waits
    assert login_from(world, "198.51.100.3", "begeleider-a", "een-lang-wachtwoord-a") == 302  # the facilitator elsewhere
    for i in range(6):  # a guess spread over addresses: the account-wide brake
        login_from(world, f"203.0.113.{100 + i}", "begeleider-a", "fout-wachtwoord-123")
    assert login_from(world, "203.0.113.200", "begeleider-a", "een-lang-wachtwoord-a") == 429  # a new address waits
    assert login_from(world, "192.0.2.1", "begeleider-a", "een-lang-wachtwoord-a") == 302  # the known one does not
    assert login_from(world, "203.0.113.200", "begeleider-b", "een-lang-wachtwoord-b") == 302  # another account


def test_password_change(world):
    client = world.app.test_client()
    assert login(client, "begeleider-a", "een-lang-wachtwoord-a").status_code == 302
    token = csrf_token(client)
    wrong = client.post("/account/password", data={"csrf_token": token, "current": "niet-het-goede",
                                                   "password": "nieuw-lang-wachtwoord", "confirm": "nieuw-lang-wachtwoord"})
    assert wrong.status_code == 200 and "klopt niet" in wrong.get_data(as_text=True)
    ok = client.post("/account/password", data={"csrf_token": token, "current": "een-lang-wachtwoord-a",
                                                "password": "nieuw-lang-wachtwoord", "confirm": "nieuw-lang-wachtwoord"})
    assert ok.status_code == 302
    assert login(world.app.test_client(), "begeleider-a", "een-lang-wachtwoord-a").status_code == 200  # old one refused
    assert login(world.app.test_client(), "begeleider-a", "nieuw-lang-wachtwoord").status_code == 302


def test_logout_ends_the_session(world):
    client = world.app.test_client()
    login(client, "begeleider-a", "een-lang-wachtwoord-a")
    assert client.get("/rooms").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/rooms").status_code == 302


def _codes(n: int, start: int = 0) -> list[str]:
    """`n` well-formed codes that no room has (digits mapped onto letters of the alphabet)."""
    return [f"{i:08d}".translate(str.maketrans("0123456789", "ABCDEFGHJK")) for i in range(start, start + n)]


def test_thirty_players_behind_one_nat_get_in_while_a_guesser_is_stopped(world, connect):
    """Wrong codes count per client: a guesser is stopped, its venue's tablets and join page never are."""
    players = [connect(world) for _ in range(30)]
    for i, conn in enumerate(players[:15]):
        assert conn.call("take_seat", {"code": world.code_a, "name": f"Tablet {i}", "role": "HR"})["ok"]
    guesser = connect(world)
    limit = world.app.config["JOIN_FAILURES_PER_CLIENT"]
    replies = [guesser.call("take_seat", {"code": c, "name": "Raden", "role": "HR"}) for c in _codes(limit + 20)]
    assert [r["error"]["code"] for r in replies[:limit]] == ["room/not_found"] * limit
    assert {r["error"]["code"] for r in replies[limit:]} == {"rate/too_many_attempts"}
    for i, conn in enumerate(players[15:]):  # the rest of the venue, a third of them mistyping once first
        if i % 3 == 0:
            assert conn.call("take_seat", {"code": "ZZZZZZZZ", "name": f"Tablet {i}", "role": "HR"})["error"]["code"] == "room/not_found"
        assert conn.call("take_seat", {"code": world.code_a, "name": f"Tablet b{i}", "role": "HR"})["ok"]
    assert world.app.test_client().get(f"/r/{world.code_a}").status_code == 200


def test_the_join_page_counts_missed_codes_per_browser(world_factory):
    world = world_factory(JOIN_FAILURES_PER_CLIENT=3)
    client = world.app.test_client()
    for code in ("AAAAAAAA", "BBBBBBBB", "CCCCCCCC"):
        assert client.get(f"/r/{code}").status_code == 404
    assert client.get_cookie("inzet_client") is not None
    assert client.get(f"/r/{world.code_b}").status_code == 429  # blocked before the code is looked up
    assert world.app.test_client().get(f"/r/{world.code_b}").status_code == 200  # another browser, same address


def test_the_same_wrong_code_again_counts_once(world_factory, connect):
    world = world_factory(JOIN_FAILURES_PER_CLIENT=3)
    tablet = connect(world)
    for _ in range(10):  # a tablet retrying its typo
        assert tablet.call("take_seat", {"code": "ZZZZ-ZZZZ", "name": "Ann", "role": "HR"})["error"]["code"] == "room/not_found"
    assert tablet.call("take_seat", {"code": world.code_a, "name": "Ann", "role": "HR"})["ok"]


def test_a_guesser_changing_clients_stops_its_address_but_not_the_venues_own_code(world_factory, connect):
    world = world_factory(JOIN_FAILURES_PER_CLIENT=5, JOIN_FAILURES_PER_IP=20)
    assert connect(world).call("take_seat", {"code": world.code_a, "name": "Eerste", "role": "HR"})["ok"]
    http = world.app.test_client
    statuses = [http().get(f"/r/{code}").status_code for code in _codes(30)]  # a fresh browser for each guess
    assert statuses[:20] == [404] * 20 and set(statuses[20:]) == {429}
    assert http().get(f"/r/{world.code_b}").status_code == 429  # a code nobody here used: no oracle
    assert http().get(f"/r/{world.code_a}").status_code == 200  # the venue's room: someone here got in with it
    assert connect(world).call("take_seat", {"code": world.code_a.lower(), "name": "Later", "role": "HR"})["ok"]


def test_a_guessing_wave_stops_addresses_that_missed_but_not_new_ones():
    limiter_ip, limiter_all = FailureLimiter(30, 600), FailureLimiter(3, 600)
    for _ in range(3):
        limiter_all.failed("*")
    assert limiter_all.blocked("*") and not limiter_ip.blocked("10.0.0.1")


def test_failure_limiter_forgets_after_the_window():
    now = [0.0]
    limiter = FailureLimiter(2, 60, clock=lambda: now[0])
    limiter.failed("x"), limiter.failed("x")
    assert limiter.blocked("x") and limiter.retry_after("x") > 0
    now[0] = 61
    assert not limiter.blocked("x")


def test_seat_tokens_carry_at_least_128_bits(world, seat):
    tokens = [seat(world, world.code_a, f"P{i}", "HR").token for i in range(5)]
    assert len(set(tokens)) == 5
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128


def test_csv_cells_that_would_be_formulas_are_neutralised():
    for dangerous in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "＝1"):
        assert neutralise_cell(dangerous) == "'" + dangerous
    for harmless in ("Gewoon tekst", "", "1e3", "a=b"):
        assert neutralise_cell(harmless) == harmless
    assert neutralise_cell(-3) == -3 and neutralise_cell(None) is None


def test_ids_no_table_can_hold_are_a_404_not_a_500(world):
    """Found by the HTTP fuzz: an id beyond a database integer in the path or in ?version= made SQLite raise
    OverflowError (a 500)."""
    client = http_client(world, "facilitator_a")
    for url in ("/decks/mobiliteit-bespreekbaar?version=9223372036854775808", "/decks/mobiliteit-bespreekbaar?version=-1",
                "/decks/mobiliteit-bespreekbaar/export.csv?version=100000000000000000000",
                "/decks/mobiliteit-bespreekbaar/versions/9223372036854775808/restore",
                f"/rooms/{world.code_a}/report/share/9223372036854775808/revoke", "/submissions/2147483648"):
        response = client.post(url, data={"csrf_token": csrf_token(client)}) if url.endswith(("restore", "revoke")) \
            else client.get(url)
        assert response.status_code == 404, (url, response.status_code)


def test_hostile_deck_uploads_are_refused_quickly_and_change_nothing(world):
    """A YAML alias bomb, a `!!python/object` tag and nesting deep enough to hit the recursion limit."""
    import time
    from io import BytesIO

    from tests.security.conftest import fingerprint
    from tests.security.test_fuzz_web import YAML_BOMB

    client = http_client(world, "facilitator_a")
    before = fingerprint(world.db)
    for content in (YAML_BOMB, b"!!python/object/apply:os.system ['echo pwned']\n",
                    b"slug: x\ntitle: " + b"[" * 20000 + b"]" * 20000 + b"\n"):
        started = time.monotonic()
        response = client.post("/decks/import", data={"csrf_token": csrf_token(client), "file": (BytesIO(content), "bom.yml")},
                               content_type="multipart/form-data")
        assert response.status_code == 422 and time.monotonic() - started < 5, response.status_code
    assert fingerprint(world.db) == before


def test_a_sustained_flood_is_cut_off_and_a_calm_tablet_never_is():
    """The bucket refills one token every 50 ms; a flood must not reset its refusal count with each of them
    (it did: a flooder then never reached the disconnect). A tablet's bursts and steady use pass."""
    from game.live.limits import DISCONNECT_AFTER, EventLimiter

    now = [0.0]
    limiter = EventLimiter(20, 60, clock=lambda: now[0])
    cut_after = None
    for i in range(20_000):  # 2,000 events a second
        now[0] += 0.0005
        if limiter.allow("flooder").refused >= DISCONNECT_AFTER:
            cut_after = now[0]
            break
    assert cut_after is not None and cut_after < 1.0, cut_after
    for second in range(120):  # a tablet: a burst of 10 now and then, a few events a second otherwise
        for _ in range(10 if second % 30 == 0 else 3):
            now[0] += 0.01
            assert limiter.allow("tablet").allowed
        now[0] += 1


def test_the_guessing_arithmetic_in_the_docs_matches_the_code():
    """docs/security.md argues from the code length, alphabet and limits: recompute its numbers from them."""
    from pathlib import Path

    from game import config
    from game.rules import codes

    doc = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
    settings = config.from_environment()
    space = len(codes.ALPHABET) ** codes.LENGTH
    assert f"A code is {codes.LENGTH} characters from a {len(codes.ALPHABET)}-character alphabet" in doc
    assert f"{space / 1e11:.2f} × 10¹¹ codes ({codes.ENTROPY_BITS:.1f} bits)" in doc
    per_ip, everyone, window = (settings["JOIN_FAILURES_PER_IP"], settings["JOIN_FAILURES_GLOBAL"],
                                settings["JOIN_FAILURE_WINDOW"])
    windows = 86_400 // window
    assert f"at most {per_ip} wrong codes per {window // 60} minutes = {per_ip * windows:,} guesses a day".replace(",", " ") in doc
    wave = everyone * windows + 10_000 * windows
    assert f"≤ {everyone * windows:,} + 10 000 × {windows}".replace(",", " ") in doc and round(wave / 1e6, 1) == 1.5
    assert round(wave * 1000 / space * 100, 2) == 0.18 and "**0.18 %**" in doc
    assert not any(ch in codes.ALPHABET for ch in "01OIL")


def test_files_with_hr_data_are_the_owners_only_from_the_first_byte(tmp_path, monkeypatch):
    """`report -o` and `rooms export -o` write through write_private: the mode is 0600 before a byte goes in,
    for a new file and for an old world-readable one (a chmod after writing leaves a window; issue 17)."""
    import os

    from game.cli import write_private

    modes = []
    real_fdopen = os.fdopen

    def watching_fdopen(fd, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        handle = real_fdopen(fd, *args, **kwargs)
        real_write = handle.write

        def write(data):  # noqa: ANN001, ANN202
            modes.append(os.stat(fd).st_mode & 0o777)
            return real_write(data)

        handle.write = write
        return handle

    monkeypatch.setattr(os, "fdopen", watching_fdopen)
    old_umask = os.umask(0o022)
    try:
        fresh, old = tmp_path / "rapport.pdf", tmp_path / "export.json"
        old.write_text("earlier export")
        old.chmod(0o644)
        write_private(fresh, b"HR data")
        write_private(old, b"HR data")
    finally:
        os.umask(old_umask)
    assert modes == [0o600, 0o600]
    assert fresh.read_bytes() == old.read_bytes() == b"HR data"
    assert {fresh.stat().st_mode & 0o777, old.stat().st_mode & 0o777} == {0o600}
