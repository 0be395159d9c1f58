"""Security headers and a Content-Security-Policy, rate limits for logins and join codes, safe CSV cells.

`register(app)` binds it all to one app: the limiters live in `app.extensions` (one set per app, so
tests and processes never share counters). See docs/security.md for what is enforced where.
"""
from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, abort, current_app, request
from flask_babel import gettext
from werkzeug.middleware.proxy_fix import ProxyFix

from game.rules.codes import normalise_join_code
from game.rules.errors import RuleViolation

# No inline scripts or styles, nothing from other hosts; the Socket.IO connection goes to the same host.
CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The play page's address holds the join code: never hand it to another site.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise_cell(value: object) -> object:
    """A CSV/XLSX cell that a spreadsheet would run as a formula gets a leading apostrophe.

    Text starting with = + - @ (or tab/CR, or their full-width forms) is what Excel, LibreOffice
    and Google Sheets evaluate; numbers pass through untouched (-3 stays the number -3)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FailureLimiter:
    """Counts failures per key in a sliding window; a key with `limit` failures is blocked until
    the oldest one leaves the window. Successes are never counted. Thread-safe, bounded memory."""

    MAX_KEYS = 100_000

    def __init__(self, limit: int, window: float, clock=time.monotonic):  # noqa: ANN001
        self.limit, self.window, self.clock = limit, window, clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}
        self._tried: dict[str, dict[str, float]] = {}  # key -> code -> when it was last counted

    def _recent(self, key: str, now: float) -> deque[float] | None:
        stamps = self._failures.get(key)
        if stamps is None:
            return None
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
            self._tried.pop(key, None)
            return None
        return stamps

    def count(self, key: str) -> int:
        with self._lock:
            stamps = self._recent(key, self.clock())
            return len(stamps) if stamps else 0

    def blocked(self, key: str) -> bool:
        return self.count(key) >= self.limit

    def retry_after(self, key: str) -> int:
        """Seconds until the key may try again (0 when it may now)."""
        with self._lock:
            now = self.clock()
            stamps = self._recent(key, now)
            if not stamps or len(stamps) < self.limit:
                return 0
            return max(1, int(stamps[-self.limit] + self.window - now) + 1)

    def failed(self, key: str, what: str | None = None) -> None:
        """One failure of `key`; with `what` (the code tried), the same wrong code again within the
        window is not counted twice: a tablet retrying its typo is one mistake, not five."""
        with self._lock:
            now = self.clock()
            if len(self._failures) >= self.MAX_KEYS:
                self._sweep(now)
            if what is not None:
                seen = self._tried.setdefault(key, {})
                if seen.get(what, -self.window) > now - self.window:
                    return
                if len(seen) >= 4 * self.limit:  # bounded: forget what left the window
                    for old in [w for w, at in seen.items() if at <= now - self.window]:
                        del seen[old]
                seen[what] = now
            self._failures.setdefault(key, deque()).append(now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
            self._tried.pop(key, None)

    def _sweep(self, now: float) -> None:
        for key in list(self._failures):
            self._recent(key, now)
        if len(self._failures) >= self.MAX_KEYS:  # still full: forget the oldest half
            for key in sorted(self._failures, key=lambda k: self._failures[k][-1])[: self.MAX_KEYS // 2]:
                del self._failures[key]
                self._tried.pop(key, None)


class KnownCodes:
    """Codes that let someone in from an address, remembered for `keep` seconds: at a venue whose
    address is blocked by a guesser, the room's own code still works (no oracle: only codes that
    this address already knew to be right get past the block). Thread-safe, bounded memory."""

    MAX_ADDRESSES = 20_000
    PER_ADDRESS = 50

    def __init__(self, keep: float, clock=time.monotonic):  # noqa: ANN001
        self.keep, self.clock = keep, clock
        self._lock = threading.Lock()
        self._codes: dict[str, dict[str, float]] = {}

    def remember(self, ip: str, code: str) -> None:
        with self._lock:
            now = self.clock()
            if ip not in self._codes and len(self._codes) >= self.MAX_ADDRESSES:
                for old in sorted(self._codes, key=lambda a: max(self._codes[a].values()))[: self.MAX_ADDRESSES // 2]:
                    del self._codes[old]
            codes = self._codes.setdefault(ip, {})
            if code not in codes and len(codes) >= self.PER_ADDRESS:
                del codes[min(codes, key=codes.__getitem__)]
            codes[code] = now

    def knows(self, ip: str, code: str) -> bool:
        with self._lock:
            at = self._codes.get(ip, {}).get(code)
            return at is not None and at > self.clock() - self.keep


class Limits:
    """The limiters of one app."""

    def __init__(self, config: dict):
        window = config["JOIN_FAILURE_WINDOW"]
        self.join_per_ip = FailureLimiter(config["JOIN_FAILURES_PER_IP"], window)
        self.join_per_client = FailureLimiter(config["JOIN_FAILURES_PER_CLIENT"], window)
        self.join_known = KnownCodes(config["JOIN_KNOWN_CODE_HOURS"] * 3600)
        self.join_global = FailureLimiter(config["JOIN_FAILURES_GLOBAL"], window)
        login_window = config["LOGIN_FAILURE_WINDOW"]
        self.login_per_ip = FailureLimiter(config["LOGIN_FAILURES_PER_IP"], login_window)
        self.login_per_user = FailureLimiter(config["LOGIN_FAILURES_PER_USER"], login_window)  # per account and address
        self.login_per_user_all = FailureLimiter(config.get("LOGIN_FAILURES_PER_USER_ALL", 100), login_window)
        self.login_known = KnownCodes(config.get("LOGIN_KNOWN_ADDRESS_DAYS", 30) * 86400)


def limits() -> Limits:
    return current_app.extensions["inzetspel.limits"]


def client_ip() -> str:
    """The client's address (ProxyFix has already applied X-Forwarded-For when PROXY_COUNT > 0)."""
    return request.remote_addr or "?"


# --- join codes -------------------------------------------------------------------------------
# The policy for a venue (docs/security.md, "Join codes at a venue"): a *client* (the tablet's
# `inzet_client` cookie, else its Socket.IO connection) is stopped after JOIN_FAILURES_PER_CLIENT
# different wrong codes; an *address* (60 tablets behind one NAT) only after JOIN_FAILURES_PER_IP;
# the same wrong code again counts once; and a code that already let someone in from the address
# always gets through, so a guesser at the venue cannot lock the venue out of its own room.

JOIN_CODE_MISSES = frozenset({"room/not_found"})
CLIENT_COOKIE = "inzet_client"
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def client_key() -> str | None:
    """Who is guessing, finer than the address: the client cookie, else the Socket.IO connection.
    A page request without the cookie has no key (its first visit): only its address counts."""
    cookie = request.cookies.get(CLIENT_COOKIE, "")
    if _CLIENT_ID.fullmatch(cookie):
        return "c:" + cookie
    sid = getattr(request, "sid", None)
    return f"s:{sid}" if sid else None


def _code_key(typed: str) -> str:
    code = normalise_join_code(typed or "")
    return code if code is not None else "?" + (typed or "")[:40]


def join_blocked(ip: str, client: str | None = None, typed: str = "") -> bool:
    """Whether this attempt is refused before the code is looked up (see the policy above)."""
    lim = limits()
    if typed and lim.join_known.knows(ip, _code_key(typed)):
        return False
    if client is not None and lim.join_per_client.blocked(client):
        return True
    if lim.join_per_ip.blocked(ip):
        return True
    # While the whole server sees a guessing wave, an address that already missed waits.
    return lim.join_global.blocked("*") and lim.join_per_ip.count(ip) > 0


def join_refusal() -> RuleViolation:
    return RuleViolation("rate/too_many_attempts", "Too many wrong codes from this network; wait a few minutes.")


def join_missed(ip: str, client: str | None, typed: str) -> None:
    """A wrong code: counted once per code, for the client, the address and the whole server."""
    code, lim = _code_key(typed), limits()
    if client is not None:
        lim.join_per_client.failed(client, code)
    lim.join_per_ip.failed(ip, code)
    lim.join_global.failed("*")


def join_succeeded(ip: str, typed: str) -> None:
    limits().join_known.remember(ip, _code_key(typed))


@contextmanager
def join_attempt(ip: str, client: str | None = None, typed: str = "") -> Iterator[None]:
    """Around one join: refused while blocked; a wrong code counts as a failure, a join clears the way."""
    if join_blocked(ip, client, typed):
        raise join_refusal()
    try:
        yield
    except RuleViolation as violation:
        if violation.code in JOIN_CODE_MISSES:
            join_missed(ip, client, typed)
        raise
    join_succeeded(ip, typed)


# --- logins -----------------------------------------------------------------------------------
# Wrong passwords count per address (LOGIN_FAILURES_PER_IP), per account *from that address*
# (LOGIN_FAILURES_PER_USER) and per account from everywhere (LOGIN_FAILURES_PER_USER_ALL, a brake on a
# guess spread over many addresses). Counted per account alone, anyone who knows a username could lock its
# facilitator out of a session from anywhere (issue 17); and an address that signed in to the account before
# is not held up by the account-wide brake either, only by its own counts.

def _user(username: str) -> str:
    return username.strip().lower()[:80]


def login_blocked(ip: str, username: str) -> int:
    """Seconds to wait before this address may try this account again (0 = now)."""
    lim, user = limits(), _user(username)
    waits = [lim.login_per_ip.retry_after(ip), lim.login_per_user.retry_after(f"{user}@{ip}")]
    if not lim.login_known.knows(ip, user):
        waits.append(lim.login_per_user_all.retry_after(user))
    return max(waits)


def login_failed(ip: str, username: str) -> None:
    lim, user = limits(), _user(username)
    lim.login_per_ip.failed(ip)
    lim.login_per_user.failed(f"{user}@{ip}")
    lim.login_per_user_all.failed(user)


def login_succeeded(ip: str, username: str) -> None:
    lim, user = limits(), _user(username)
    lim.login_per_user.reset(f"{user}@{ip}")
    lim.login_known.remember(ip, user)


# --- logs -------------------------------------------------------------------------------------

# gevent's pywsgi writes "(from ('203.0.113.7', 51234))" into its error lines; other libraries may name
# an address too. docs/privacy.md promises no client address in any log line (issue 17).
_ADDRESS = re.compile(r"\(from \(.*?\)\)|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"
                      r"|\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b|[0-9a-fA-F]*::[0-9a-fA-F:.]*[0-9a-fA-F]")
MAX_LOG_LINE = 300


class NoClientAddresses(logging.Filter):
    """Rewrites a record so it names no IP address and stays one short line (a flooder's junk bytes
    once made a 4 KB line of gevent's 'Invalid HTTP method')."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = _ADDRESS.sub("[address]", message)
        clean = clean.replace("\r", " ").replace("\n", " ") if record.exc_info is None else clean
        if len(clean) > MAX_LOG_LINE and record.exc_info is None:
            clean = clean[:MAX_LOG_LINE] + "…"
        if clean != message:
            record.msg, record.args = clean, None
        return True


def scrub_client_addresses() -> None:
    """Put the filter on every handler of the root logger (filters on a logger miss its children)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, NoClientAddresses) for f in handler.filters):
            handler.addFilter(NoClientAddresses())


# --- HTTP -------------------------------------------------------------------------------------

def local_path(target: object, fallback: str = "/") -> str:
    r"""Where a `next` may send the browser: a path on this site only, never another host.

    Browsers strip tab, CR and LF from a URL and read a backslash as a slash, so `/\t/evil`, `/\\evil`
    and `//evil` all leave the site: anything but one leading slash followed by a plain path is refused."""
    if not isinstance(target, str) or not target.startswith("/") or len(target) > 2000:
        return fallback
    if any(ord(ch) < 0x21 or ch in "\\\x7f" for ch in target):  # controls, spaces, backslashes
        return fallback
    if target.startswith("//") or target.startswith("/%") or "%0" in target.lower() or "%5c" in target.lower():
        return fallback
    return target


def local_referrer(fallback: str = "/") -> str:
    """Back to the page the request came from, when it is a page of this site (through `local_path`)."""
    from urllib.parse import urlsplit

    try:
        ref = urlsplit(request.referrer or "")
    except ValueError:
        return fallback
    if ref.scheme not in ("http", "https") or ref.netloc != request.host:
        return fallback
    return local_path(ref.path + (f"?{ref.query}" if ref.query else ""), fallback)


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        # Pages carry HR data and CSRF tokens: never kept by a shared cache or the back button.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _reject_malformed_form() -> None:
    """A multipart field whose name the parser could not read (e.g. name="\r") has the name None, and
    Flask-WTF's CSRF check then crashes on it (a 500). Refuse such a body before anything reads it."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in (
            "multipart/form-data", "application/x-www-form-urlencoded"):
        if any(not isinstance(key, str) for key in (*request.form.keys(), *request.files.keys())):
            abort(400)


MAX_ID = 2**31 - 1  # the largest id a table can hold (PostgreSQL INTEGER)


def _refuse_impossible_ids(_endpoint: str | None, values: dict | None) -> None:
    """An id in the address (`<int:...>`) that no table can hold does not exist: 404. Without this,
    SQLite raises OverflowError on it, a 500 (found by tests/security/test_fuzz_web.py)."""
    if values and any(isinstance(v, int) and not 0 <= v <= MAX_ID for v in values.values()):
        abort(404)


def _play_code() -> str:
    return str((request.view_args or {}).get("code", ""))


def _guard_play_page() -> Response | None:
    """The join page also says whether a code exists: the same limits as take_seat."""
    if request.endpoint == "player.play" and join_blocked(client_ip(), client_key(), _play_code()):
        return Response(gettext("Too many wrong codes from this network; wait a few minutes."), 429,
                        {"Retry-After": str(current_app.config["JOIN_FAILURE_WINDOW"]), "Content-Type": "text/plain; charset=utf-8"})
    return None


def _count_missed_code(response: Response) -> Response:
    if request.endpoint != "player.play":
        return response
    client = client_key()
    if client is None:
        # A random id for this browser, so its mistakes are its own and not its whole venue's.
        cookie = secrets.token_urlsafe(16)
        client = "c:" + cookie
        response.set_cookie(CLIENT_COOKIE, cookie, max_age=30 * 86400, httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    if response.status_code == 404:
        join_missed(client_ip(), client, _play_code())
    elif response.status_code == 200:
        join_succeeded(client_ip(), _play_code())
    return response


log = logging.getLogger(__name__)


def _warn_untrusted_forwarding() -> None:
    """With PROXY_COUNT=0 behind a proxy every client has the proxy's address, and one guesser locks out
    everyone (issue 17): say so once, the first time a forwarded header arrives."""
    if current_app.extensions.get("inzetspel.forwarding_warned") or not (
            "X-Forwarded-For" in request.headers or "Forwarded" in request.headers):
        return
    current_app.extensions["inzetspel.forwarding_warned"] = True
    log.warning("A request came through a proxy (X-Forwarded-For) but PROXY_COUNT=0: every client looks like "
                "the proxy, so rate limits treat them as one; set PROXY_COUNT=1 behind nginx (docs/deployment.md).")


def register(app: Flask) -> None:
    """Bind headers, limiters and proxy handling to `app`."""
    app.extensions["inzetspel.limits"] = Limits(app.config)
    if app.config.get("PROXY_COUNT"):
        count = app.config["PROXY_COUNT"]
        # Only what deploy/nginx.conf sets: X-Forwarded-For and -Proto. It passes the Host itself; an
        # X-Forwarded-Host would be the client's own header, passed through unchecked.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    else:
        app.before_request(_warn_untrusted_forwarding)
    # First of all before_request functions: ahead of the CSRF check, which would crash on it.
    app.before_request_funcs.setdefault(None, []).insert(0, _reject_malformed_form)
    app.url_value_preprocessor(_refuse_impossible_ids)
    app.before_request(_guard_play_page)
    app.after_request(_count_missed_code)
    app.after_request(_headers)
