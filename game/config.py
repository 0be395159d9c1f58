"""Settings from environment variables, with safe defaults for the zero-configuration path."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one kept in instance/ so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment() -> dict:
    """The app's configuration, read once at start-up."""
    INSTANCE.mkdir(exist_ok=True)
    origins = os.environ.get("CORS_ALLOWED_ORIGINS")
    return {
        "SECRET_KEY": _secret_key(),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'inzetspel.db'}"),
        # SQLite only: FULL = an acknowledged action survives a power cut too; NORMAL = a process crash
        # only (docs/durability.md). With group commit FULL costs little (docs/benchmarks.md).
        "SQLITE_SYNCHRONOUS": os.environ.get("SQLITE_SYNCHRONOUS", "FULL"),
        "DECKS_DIR": Path(os.environ.get("DECKS_DIR", ROOT / "decks")),
        "MESSAGE_QUEUE": os.environ.get("MESSAGE_QUEUE") or None,
        # Processes that share a message queue share rooms; another channel is another installation.
        "MESSAGE_QUEUE_CHANNEL": os.environ.get("MESSAGE_QUEUE_CHANNEL", "inzetspel"),
        # None = same origin only (Flask-SocketIO's default); a comma-separated list otherwise.
        "CORS_ALLOWED_ORIGINS": [o.strip() for o in origins.split(",")] if origins else None,
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        # --- Reliability, security and privacy (issue 8; docs/security.md, docs/privacy.md) ---
        # Socket.IO: the largest message a client may send (bytes). The biggest legitimate event is ~3 KB.
        "MAX_HTTP_BUFFER_SIZE": _int("MAX_HTTP_BUFFER_SIZE", 16 * 1024),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024),  # HTTP bodies (deck uploads)
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_HOURS", 12) * 3600,
        # Behind nginx: how many proxies set X-Forwarded-For/-Proto (deploy/nginx.conf: 1). 0 = none.
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        # Seconds after a start before presence counts for the automatic reveal (game/live/presence.py).
        "PRESENCE_SETTLE_SECONDS": _int("PRESENCE_SETTLE_SECONDS", 15),
        "EVENTS_PER_SECOND": _int("EVENTS_PER_SECOND", 20),   # per connection, sustained
        "EVENTS_BURST": _int("EVENTS_BURST", 60),             # per connection, at once
        # Per address (a venue's NAT: 60 tablets) and new connections per address (issue 17, game/live/gate.py).
        "EVENTS_PER_SECOND_PER_ADDRESS": _int("EVENTS_PER_SECOND_PER_ADDRESS", 30),
        "EVENTS_BURST_PER_ADDRESS": _int("EVENTS_BURST_PER_ADDRESS", 300),
        "HANDSHAKES_PER_SECOND": _int("HANDSHAKES_PER_SECOND", 2),
        "HANDSHAKE_BURST": _int("HANDSHAKE_BURST", 120),
        # Join codes (issue 17, docs/security.md): different wrong codes per window, per client and per
        # address (a venue: 60 tablets, each may mistype twice); codes that let someone in are known for hours.
        "JOIN_FAILURES_PER_CLIENT": _int("JOIN_FAILURES_PER_CLIENT", 10),
        "JOIN_FAILURES_PER_IP": _int("JOIN_FAILURES_PER_IP", 150),
        "JOIN_KNOWN_CODE_HOURS": _int("JOIN_KNOWN_CODE_HOURS", 12),
        "JOIN_FAILURES_GLOBAL": _int("JOIN_FAILURES_GLOBAL", 600),  # wrong codes per window, all IPs
        "JOIN_FAILURE_WINDOW": _int("JOIN_FAILURE_WINDOW", 600),    # seconds
        "LOGIN_FAILURES_PER_IP": _int("LOGIN_FAILURES_PER_IP", 20),
        # Per account from one address; per account from all addresses (an address that signed in to the
        # account within LOGIN_KNOWN_ADDRESS_DAYS is not held up by the latter): game/security.py, "logins".
        "LOGIN_FAILURES_PER_USER": _int("LOGIN_FAILURES_PER_USER", 10),
        "LOGIN_FAILURES_PER_USER_ALL": _int("LOGIN_FAILURES_PER_USER_ALL", 100),
        "LOGIN_KNOWN_ADDRESS_DAYS": _int("LOGIN_KNOWN_ADDRESS_DAYS", 30),
        "LOGIN_FAILURE_WINDOW": _int("LOGIN_FAILURE_WINDOW", 900),
        "ROOM_RETENTION_DAYS": _int("ROOM_RETENTION_DAYS", 548),  # 18 months
    }


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default
