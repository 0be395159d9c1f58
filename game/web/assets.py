"""Static assets: content-hashed URLs with long cache headers, compression, and the web app manifest.

`url_for('static', filename=...)` gets `?v=<hash of the file>`; a request carrying the current hash
may be cached for a year (a changed file gets a new URL), anything else is revalidated. CSS, JS,
SVG and the manifest are compressed by Flask-Compress; HTML is not (BREACH: pages carry CSRF tokens).
"""
from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from flask import Blueprint, Flask, Response, redirect, request, url_for
from flask_compress import Compress
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
COMPRESSIBLE = ["text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/manifest+json"]
BRAND, BACKGROUND = "#1f4e5f", "#f4f6f5"
bp = Blueprint("assets", __name__)
compress = Compress()


class ContentHashes:
    """Short content hashes of the files in one folder, recomputed only when a file changes."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = str(folder)
        self._known: dict[str, tuple[tuple[int, int], str]] = {}
        self._lock = threading.Lock()

    def __call__(self, filename: str) -> str | None:
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            known = self._known.get(filename)
            if known and known[0] == stamp:
                return known[1]
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        with self._lock:
            self._known[filename] = (stamp, digest)
        return digest


def register(app: Flask) -> None:
    """Versioned static URLs, their cache headers, compression and the manifest route."""
    hashes = ContentHashes(app.static_folder)
    app.extensions["inzetspel.asset_hashes"] = hashes

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            digest = hashes(values.get("filename", ""))
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_versioned_assets(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            version = request.args.get("v")
            if version and version == hashes((request.view_args or {}).get("filename", "")):
                response.cache_control.no_cache = None
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
        return response

    def static_cache_key(req) -> str | None:  # noqa: ANN001
        if req.endpoint != "static":
            return None
        filename = (req.view_args or {}).get("filename", "")
        return f"{filename}@{hashes(filename)}"

    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSIBLE)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Each file is compressed once (then cached), so the strongest levels cost nothing per request.
    app.config.setdefault("COMPRESS_BR_LEVEL", 11)
    app.config.setdefault("COMPRESS_ZSTD_LEVEL", 19)
    app.config.setdefault("COMPRESS_LEVEL", 9)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "zstd", "gzip", "deflate"])  # br: the smallest here
    app.config.setdefault("COMPRESS_CACHE_KEY", static_cache_key)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", CompressedFiles)
    compress.init_app(app)

    # Registered after Flask-Compress, so it runs before it (after_request runs last-in, first-out):
    # a static file read into memory is compressed once per algorithm and kept (CompressedFiles),
    # with every algorithm the browser takes, instead of streamed through the compressor each time.
    @app.after_request
    def buffer_static_files(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200 and response.mimetype in COMPRESSIBLE:
            response.direct_passthrough = False
            response.make_sequence()
        return response

    app.register_blueprint(bp)


class CompressedFiles:
    """Flask-Compress's cache: compressed static files by name, content hash and algorithm.

    Bounded by the files in static/ (a changed file gets a new key; the old entry is dropped).
    Keys of anything that is not a static file (`...;None`) are never stored."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        return self._data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";None"):
            return
        algorithm, _, name = key.partition(";")
        stem = name.rpartition("@")[0]
        with self._lock:
            for old in [k for k in self._data if k.startswith(f"{algorithm};{stem}@") and k != key]:
                del self._data[old]
            self._data[key] = value


@bp.route("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest: players can put the game on their tablet's home screen."""
    icon = lambda name, size, purpose="any": {  # noqa: E731
        "src": url_for("static", filename=f"icons/{name}"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
    body = {
        "name": "Inzetbaarheidsspel", "short_name": "Inzetspel", "lang": "nl",
        "description": "Een spel over duurzame inzetbaarheid en mobiliteit, voor teams aan tafel.",
        "start_url": url_for("player.home"), "scope": "/", "display": "standalone", "orientation": "any",
        "background_color": BACKGROUND, "theme_color": BRAND,
        "icons": [icon("icon-192.png", 192), icon("icon-512.png", 512), icon("icon-maskable-512.png", 512, "maskable")],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json",
                    headers={"Cache-Control": "public, max-age=3600"})


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page declares: send them to the PNG."""
    return redirect(url_for("static", filename="icons/favicon-32.png"), code=301)
