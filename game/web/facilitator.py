"""The facilitator's pages: rooms list, new room, live dashboard, ending a room."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from game.extensions import get_db
from game.live.events import publish
from game.play import library, rooms
from game.rules.codes import display_join_code
from game.rules.errors import RuleViolation
from game.web.auth import login_required
from game.web.forms import ConfirmForm, RoomForm, lines

bp = Blueprint("facilitator", __name__)


def join_link(code: str) -> str:
    base = current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")
    return f"{base}{url_for('player.play', code=code)}"


@bp.route("/rooms", endpoint="rooms", methods=["GET", "POST"])
@login_required
def rooms_page():  # noqa: ANN201
    """The facilitator's rooms and the form for a new one."""
    decks = library.list_decks(get_db())
    form = RoomForm()
    form.deck.choices = [(d["slug"], f"{d['title']} ({d['cards']} kaarten)") for d in decks]
    if request.method == "GET":
        form.teams.data = "Team 1\nTeam 2\nTeam 3"
        form.roles.data = "\n".join(rooms.DEFAULT_ROLES["nl"])
    if form.validate_on_submit():
        spec = rooms.RoomSpec(
            deck_slug=form.deck.data, team_names=lines(form.teams.data), title=form.title.data or "",
            cards=form.cards.data, roles=lines(form.roles.data) or None, shuffle=form.shuffle.data,
        )
        try:
            code = rooms.create_room(get_db(), g.facilitator_id, spec)
        except RuleViolation as exc:
            form.form_errors.append(exc.message)
        else:
            flash(f"Sessie aangemaakt. Code: {display_join_code(code)}")
            return redirect(url_for("facilitator.dashboard", code=code))
    return render_template("rooms.html", form=form, rooms=rooms.rooms_of(get_db(), g.facilitator_id),
                           decks=decks, display_code=display_join_code, end_form=ConfirmForm())


@bp.route("/rooms/<code>")
@login_required
def dashboard(code: str):  # noqa: ANN201
    """The live dashboard of one room (the page fills itself over Socket.IO)."""
    try:
        overview = rooms.room_overview(get_db(), g.facilitator_id, code)
    except RuleViolation:
        abort(404)
    room_code = overview["room"]["code"]
    return render_template("dashboard.html", overview=overview, code=room_code,
                           display_code=display_join_code(room_code), link=join_link(room_code), end_form=ConfirmForm())


@bp.route("/rooms/<code>/end", methods=["POST"])
@login_required
def end(code: str):  # noqa: ANN201
    """End the room: it becomes read-only on every tablet."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = rooms.end_room(get_db(), g.facilitator_id, code)
    except RuleViolation:
        abort(404)
    publish(outcome)
    flash("De sessie is beëindigd.")
    return redirect(url_for("facilitator.dashboard", code=code))
