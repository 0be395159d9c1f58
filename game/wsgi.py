"""WSGI entry for gunicorn: `gunicorn -k gevent -w 1 game.wsgi:app` (the gevent worker monkey-patches)."""
from __future__ import annotations

from game.app import create_app, start_background_work

app = create_app({"ASYNC_MODE": "gevent"})
start_background_work(app)
