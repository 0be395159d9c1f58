"""Extension objects, created once here and bound to the app in create_app()."""
from __future__ import annotations

from flask import current_app
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

from game.store.db import Database

socketio = SocketIO()
csrf = CSRFProtect()


def get_db() -> Database:
    """The app's database (bound in create_app)."""
    return current_app.extensions["inzetspel.db"]
