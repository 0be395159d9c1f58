"""The application factory, in named steps: config, database, extensions, blueprints, errors."""
from __future__ import annotations

import logging

from flask import Flask, abort, render_template
from flask_wtf.csrf import CSRFError
from flask_babel import gettext as _

from game import config as settings
from game import heap
from game import i18n
from game import security
from game.web import assets, card_kinds
from game.extensions import csrf, socketio
from game.play.library import sync_bundled_decks
from game.rules.phases import Phase
from game.store.db import Database


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app; `overrides` replaces settings (tests pass a temporary database and so on)."""
    app = Flask(
        __name__,
        template_folder=str(settings.ROOT / "templates"),
        static_folder=str(settings.ROOT / "static"),
    )
    app.config.update(settings.from_environment())
    app.config.update(overrides or {})
    logging.basicConfig(level=app.config.get("LOG_LEVEL", logging.INFO), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    security.scrub_client_addresses()  # no client IP in any log line (docs/privacy.md)
    register_database(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_globals(app)
    assets.register(app)  # hashed static URLs with long caching, compression, the web app manifest
    security.register(app)  # headers, CSP, rate limits; after the extensions (ProxyFix wraps Socket.IO too)
    return app


def register_database(app: Flask) -> None:
    db = Database(app.config["DATABASE_URL"], sqlite_synchronous=app.config.get("SQLITE_SYNCHRONOUS", "FULL"))
    db.upgrade()
    sync_bundled_decks(db, app.config["DECKS_DIR"])
    app.extensions["inzetspel.db"] = db


def register_extensions(app: Flask) -> None:
    # Handlers must be registered before the first init_app, so every app built later gets them too.
    from game.live import events, seat_events  # noqa: F401

    csrf.init_app(app)
    i18n.init_app(app)  # before any template renders: gettext in Jinja, the locale selector
    queue = app.config.get("MESSAGE_QUEUE")
    socketio.init_app(
        app,
        async_mode=app.config.get("ASYNC_MODE"),
        message_queue=queue,
        channel=app.config.get("MESSAGE_QUEUE_CHANNEL", "inzetspel"),
        cors_allowed_origins=app.config.get("CORS_ALLOWED_ORIGINS"),
        ping_interval=10,
        ping_timeout=20,
        max_http_buffer_size=app.config.get("MAX_HTTP_BUFFER_SIZE", 16 * 1024),  # kilobytes, not 1 MB (issue 8)
    )
    guard_socketio(app)
    if queue:
        share_presence(queue, app.config.get("MESSAGE_QUEUE_CHANNEL", "inzetspel"))
    # Flask-SocketIO runs every event in a request context built from the connection's handshake
    # (/socket.io/). Without a URL rule for that path each push raises NotFound and keeps it with its
    # traceback: a reference cycle of ~45 objects per event, nearly all the cyclic garbage under load and
    # so the GC pauses behind the latency tail (docs/benchmarks.md, "Garbage per event"). engine.io
    # answers that path before Flask, so the view is never served.
    for endpoint, websocket in SOCKETIO_ENDPOINTS.items():  # polling and WebSocket handshakes match different rules
        app.add_url_rule("/socket.io/", endpoint=endpoint, view_func=_socketio_handshake, strict_slashes=False,
                         websocket=websocket)


def guard_socketio(app: Flask) -> None:
    """The flood gate in front of python-socketio and the handshake throttle in front of engine.io
    (game/live/gate.py). Test apps (TESTING) fire hundreds of events per connection: their gate only
    counts malformed frames, unless EVENT_RATE_LIMIT switches the limits on."""
    from flask_babel import force_locale

    from game.live import gate

    settings = gate.GateSettings.from_config(app.config)
    from game.live.presence import presence

    presence.settle_seconds = 0 if app.testing else app.config.get("PRESENCE_SETTLE_SECONDS", 15)
    if not app.config.get("EVENT_RATE_LIMIT", not app.testing):
        settings = gate.GateSettings(*(10.0**9,) * 4, cut_after=10**9, handshakes_per_second=10.0**9, handshake_burst=10.0**9)
    with app.app_context(), force_locale(app.config.get("BABEL_DEFAULT_LOCALE", "nl")):
        refusals = {gate.LIMITED: gate.error_packet(gate.LIMITED, _("Too many messages at once; wait a moment.")),
                    gate.MALFORMED: gate.error_packet(gate.MALFORMED, _("This message could not be read and was ignored."))}
    flood_gate = gate.FloodGate(settings, lambda _sid, code: refusals[code])
    gate.install(socketio.server, flood_gate)
    app.extensions["inzetspel.flood_gate"] = flood_gate
    app.wsgi_app = gate.HandshakeThrottle(app.wsgi_app, flood_gate)  # type: ignore[method-assign]


SOCKETIO_ENDPOINTS = {"socketio_handshake": False, "socketio_websocket": True}


def _socketio_handshake() -> None:
    abort(404)


def share_presence(queue: str, channel: str) -> None:
    """With several processes, who is online is kept in the same Redis as the message queue."""
    from game.live.presence import SharedOnline, presence

    presence.share_through(SharedOnline(queue, channel))


log = logging.getLogger(__name__)


def start_background_work(app: Flask) -> None:
    """What a serving process runs beside the requests (not the CLI's one-off commands): the phase
    timers and, with several processes, the shared presence heartbeat; and its garbage collector tuned
    for serving (game/heap.py)."""
    from game.live.presence import SharedOnline, presence
    from game.live.timers import run_timers

    socketio.start_background_task(run_timers, app.extensions["inzetspel.db"])
    heap.settle_for_serving()
    if not app.config.get("MESSAGE_QUEUE"):
        return

    def beat() -> None:
        from game.live.presence import announce_departures

        while True:
            socketio.sleep(SharedOnline.TTL / 3)
            presence.heartbeat()
            try:
                announce_departures(app.extensions["inzetspel.db"])  # a dead process's players go offline
            except Exception:  # noqa: BLE001 - the heartbeat must outlive a database hiccup
                log.warning("presence: departures not announced")

    socketio.start_background_task(beat)


def register_blueprints(app: Flask) -> None:
    from game.web import auth, decks, facilitator, player

    app.register_blueprint(auth.bp)
    app.register_blueprint(facilitator.bp)
    app.register_blueprint(player.bp)
    app.register_blueprint(decks.bp)
    from game.web import screen

    app.register_blueprint(screen.bp)
    from game.web import submissions

    app.register_blueprint(submissions.bp)
    from game.web import report

    app.register_blueprint(report.bp)
    from game.web import language

    app.register_blueprint(language.bp)


def register_errorhandlers(app: Flask) -> None:
    def page(status: int, title: str, message: str):  # noqa: ANN202
        return render_template("error.html", status=status, title=title, message=message), status

    app.register_error_handler(404, lambda e: page(404, _("Not found"), _("This page does not exist.")))
    app.register_error_handler(405, lambda e: page(405, _("Not allowed"), _("This cannot be done here.")))
    app.register_error_handler(CSRFError, lambda e: page(400, _("Expired form"), _("The form has expired; reload the page.")))
    app.register_error_handler(400, lambda e: page(400, _("Bad request"), _("The request is not valid.")))


def register_template_globals(app: Flask) -> None:
    # One source for constants shared with the JavaScript: the phases come from the rules.
    app.jinja_env.globals["PHASES"] = {p.name: p.value for p in Phase}
    # ... and so do the card kinds (their words in the request's language).
    card_kinds.register(app)
