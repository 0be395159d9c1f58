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
    }
