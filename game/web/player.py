"""The player's pages: enter a code, then join and play on one page."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from flask_babel import gettext as _

from game.extensions import get_db
from game.i18n import use_room_language
from game.play import accounts, rooms
from game.rules.cards import SCALE_LABELS
from game.rules.codes import display_join_code, normalise_join_code
from game.rules.errors import RuleViolation

bp = Blueprint("player", __name__)


@bp.route("/")
def home():  # noqa: ANN201
    """Start page: type the code. On a brand-new install, the facilitator set-up comes first."""
    if not accounts.has_facilitators(get_db()):
        return redirect(url_for("auth.setup"))
    return render_template("home.html", error=None)


@bp.route("/join")
def join():  # noqa: ANN201
    """The code form's target: a valid code goes to its room, anything else back with a message."""
    typed = request.args.get("code", "")[:40]
    code = normalise_join_code(typed)
    if code is None:
        return render_template("home.html", error=_("A code has 8 characters, like KM4T-Q8ZA."), typed=typed), 400
    return redirect(url_for("player.play", code=code))


@bp.route("/r/<code>")
def play(code: str):  # noqa: ANN201
    """Join and play: the page renders the join form or the game from the server's snapshot."""
    try:
        lobby = rooms.lobby(get_db(), code[:40])
    except RuleViolation:
        return render_template("home.html", error=_("No session with this code. Check the code."), typed=code[:40]), 404
    if normalise_join_code(code) != code:
        return redirect(url_for("player.play", code=lobby["code"]))
    use_room_language(lobby["language"])  # players of a room get its language unless they chose one
    return render_template("play.html", lobby=lobby, display_code=display_join_code(lobby["code"]),
                           scale=SCALE_LABELS[lobby["language"]])


@bp.route("/healthz")
def health():  # noqa: ANN201
    return {"ok": True}
