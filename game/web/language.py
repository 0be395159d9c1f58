"""The language switch in the header: the user's explicit choice, kept in the session (docs/i18n.md)."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, request, session

from game.i18n import LANGUAGES
from game.security import local_path

bp = Blueprint("language", __name__)


def _local_path(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host (the one helper, issue 17)."""
    return local_path(target)


@bp.route("/language", methods=["POST"])
def choose():  # noqa: ANN201
    """Remember the chosen language and go back to the page the switch was on."""
    locale = request.form.get("locale", "")
    if locale not in LANGUAGES:
        abort(400)
    session["locale"] = locale
    return redirect(_local_path(request.form.get("next")), code=303)
