"""The big screen for the projector: read-only, opened with an unguessable link (no login)."""
from __future__ import annotations

import segno
from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, url_for
from flask import flash
from flask_babel import gettext as _

from game.extensions import get_db
from game.i18n import use_room_language
from game.play import live_views, screen_links
from game.rules.codes import display_join_code, normalise_join_code, screen_token
from game.rules.errors import RuleViolation
from game.web.auth import login_required
from game.web.facilitator import join_link
from game.web.forms import ConfirmForm

bp = Blueprint("screen", __name__)


def screen_link(code: str) -> str:
    """The room's current big-screen link (its generation comes from the room: renewing makes a new one)."""
    found = screen_links.screen_epoch(get_db(), code)
    epoch = found[0] if found else 1
    return url_for("screen.show", code=code, token=screen_token(current_app.config["SECRET_KEY"], code, epoch))


def join_qr_svg(link: str) -> str:
    """The join link as an inline SVG QR code (server-side; scannable from the back of the room)."""
    # omitsize: a viewBox instead of a fixed size, so the stylesheet scales the code to fill its box.
    return segno.make(link, error="m").svg_inline(scale=10, border=2, dark="#1d2a30", light="#ffffff", omitsize=True,
                                                  title=_("QR code: open the link to join"))


@bp.route("/screen/<code>/<token>")
def show(code: str, token: str):  # noqa: ANN201
    code = normalise_join_code(code) or ""
    access = screen_links.check_screen_link(get_db(), current_app.config["SECRET_KEY"], code, token)
    if access == "invalid":  # wrong, revoked (renewed from the dashboard) or no such room
        abort(404)
    if access == "ended":  # the link expires with the room: it says so, and shows nothing of the room
        return Response(_("This session has ended."), 410, {"Content-Type": "text/plain; charset=utf-8"})
    try:
        state = live_views.screen_state(get_db(), code)  # no names, no roles, gated figures
    except RuleViolation:
        abort(404)
    use_room_language(state["room"].get("language"))  # the screen speaks to the room's players
    link = join_link(code)
    return render_template("screen.html", state=state, code=code, token=token, link=link,
                           display_code=display_join_code(code), qr=join_qr_svg(link))


@bp.route("/rooms/<code>/screen-link", methods=["POST"])
@login_required
def renew(code: str):  # noqa: ANN201
    """The facilitator revokes the big-screen link and gets a new one; open screens are told and dropped."""
    from game.live.broadcast import publish
    from game.play.common import Outcome
    from game.play.events import ScreenLinkRenewed

    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        screen_links.renew_screen_link(get_db(), g.facilitator_id, code)
    except RuleViolation:
        abort(404)
    code = normalise_join_code(code) or code
    publish(Outcome(events=[ScreenLinkRenewed(code)]))  # open screens are told and dropped
    flash(_("A new big-screen link was made; the old one no longer works."))
    return redirect(url_for("facilitator.dashboard", code=code))
