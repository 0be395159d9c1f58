"""The big screen for the projector: read-only, opened with an unguessable link (no login)."""
from __future__ import annotations

import hmac

import segno
from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _

from game.extensions import get_db
from game.i18n import use_room_language
from game.play import live_views
from game.rules.codes import display_join_code, normalise_join_code, screen_token
from game.rules.errors import RuleViolation
from game.web.facilitator import join_link

bp = Blueprint("screen", __name__)


def screen_link(code: str) -> str:
    return url_for("screen.show", code=code, token=screen_token(current_app.config["SECRET_KEY"], code))


def join_qr_svg(link: str) -> str:
    """The join link as an inline SVG QR code (server-side; scannable from the back of the room)."""
    # omitsize: a viewBox instead of a fixed size, so the stylesheet scales the code to fill its box.
    return segno.make(link, error="m").svg_inline(scale=10, border=2, dark="#1d2a30", light="#ffffff", omitsize=True,
                                                  title=_("QR code: open the link to join"))


@bp.route("/screen/<code>/<token>")
def show(code: str, token: str):  # noqa: ANN201
    code = normalise_join_code(code) or ""
    if not hmac.compare_digest(screen_token(current_app.config["SECRET_KEY"], code).encode(), token[:64].encode("utf-8", "surrogatepass")):
        abort(404)
    try:
        state = live_views.screen_state(get_db(), code)  # no names, no roles, gated figures
    except RuleViolation:
        abort(404)
    use_room_language(state["room"].get("language"))  # the screen speaks to the room's players
    link = join_link(code)
    return render_template("screen.html", state=state, code=code, token=token, link=link,
                           display_code=display_join_code(code), qr=join_qr_svg(link))
