"""The facilitator's pages: rooms list, new room, live dashboard, ending a room."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from game.extensions import get_db
from game.i18n import error_text
from game.live.broadcast import publish
from game.play import formats, library, rooms, templates
from game.play.common import Outcome
from game.play.events import RoomDeleted
from game.rules.codes import display_join_code
from game.rules import role_groups
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
    """The facilitator's rooms and the form for a new one (from scratch, a template, or as a follow-up)."""
    decks = library.list_decks(get_db())
    my_rooms = rooms.rooms_of(get_db(), g.facilitator_id)
    my_templates = templates.templates_of(get_db(), g.facilitator_id)
    form = RoomForm()
    form.deck.choices = [SelectChoice(d["slug"], d["title"] + " (" + ngettext("%(num)s card", "%(num)s cards", d["cards"]) + ")") for d in decks]
    form.template.choices = [SelectChoice("", _("— none —"))] + [SelectChoice(str(t["id"]), t["name"]) for t in my_templates]
    form.previous.choices = [SelectChoice("", _("— none —"))] + [SelectChoice(r["code"], f"{r['title']} ({display_join_code(r['code'])})") for r in my_rooms]
    available = formats.formats_for(_formats_dir(), {d["slug"] for d in decks})
    chosen = _chosen_format(available, request.form if request.method == "POST" else request.args)
    if request.method == "GET":
        chosen = _prefill(form, request.args, chosen, available, {d["slug"]: d["language"] for d in decks})
    if form.validate_on_submit():
        try:
            code = _create_from_form(form, chosen)
        except RuleViolation as exc:
            form.form_errors.append(error_text(exc))
        else:
            flash(_("Session created. Code: %(code)s", code=display_join_code(code)))
            return redirect(url_for("facilitator.dashboard", code=code))
    return render_template("rooms.html", form=form, rooms=my_rooms, templates=my_templates, formats=available,
                           chosen_format=chosen, decks=decks, display_code=display_join_code, end_form=ConfirmForm())


def _formats_dir():  # noqa: ANN202
    from game.config import ROOT

    return current_app.config.get("FORMATS_DIR") or ROOT / "formats"


def _chosen_format(available: list[formats.SessionFormat], values) -> formats.SessionFormat | None:  # noqa: ANN001
    """The session format named in the query (?format=SLUG) or the posted form, if it exists."""
    slug = values.get("format", "")
    return next((f for f in available if f.slug == slug), None)


def _prefill(form: RoomForm, args, chosen: formats.SessionFormat | None,  # noqa: ANN001
             available: list[formats.SessionFormat], languages: dict[str, str]) -> formats.SessionFormat | None:
    """A blank form, or one filled from a format (?format=SLUG), a template (?template=ID) or an earlier room
    (?follow_up=CODE); a follow-up gets the follow-up format of the earlier room's format, or the default
    follow-up format (the six-month session) in the deck's language (game/play/formats.py follow_up_for)."""
    form.teams.data = "Team 1\nTeam 2\nTeam 3"
    form.roles.data = "\n".join(rooms.DEFAULT_ROLES["nl"])
    spec = None
    try:
        if chosen is not None and not args.get("follow_up"):
            spec = chosen.spec(title=chosen.title)
        elif args.get("template", "").isdigit() and len(args["template"]) <= 9:  # ?template=10**20: no INTEGER holds it
            spec = templates.template_spec(get_db(), g.facilitator_id, int(args["template"]))
            form.template.data = args["template"]
        elif args.get("follow_up"):
            spec = rooms.spec_of_room(get_db(), g.facilitator_id, args["follow_up"])
            form.previous.data = spec.previous_room_code
            earlier = formats.format_of_room(get_db(), g.facilitator_id, args["follow_up"])
            chosen = chosen or formats.follow_up_for(available, earlier, languages.get(spec.deck_slug))
            if chosen is not None:  # same deck and tables as the earlier room, so the report can compare them
                spec = chosen.spec(deck_slug=spec.deck_slug, team_names=spec.team_names, roles=spec.roles,
                                   title=chosen.title, previous_room_code=spec.previous_room_code)
    except RuleViolation as exc:
        flash(error_text(exc))
    if spec is None:
        return chosen
    form.deck.data, form.title.data, form.cards.data = spec.deck_slug, spec.title, spec.cards
    form.teams.data, form.shuffle.data = "\n".join(spec.team_names), spec.shuffle
    if spec.roles:
        form.roles.data = "\n".join(spec.roles)
    st = spec.settings
    form.pacing.data, form.second_vote.data, form.predictions.data = st.pacing, st.second_vote, st.predictions
    form.comfort.data, form.points.data = st.comfort, st.points
    form.vote_seconds.data, form.discuss_seconds.data = st.vote_seconds, st.discuss_seconds
    form.role_groups.data = role_groups.as_text(st.role_groups) if st.role_groups else ""
    return chosen


def _create_from_form(form: RoomForm, chosen: formats.SessionFormat | None = None) -> str:
    settings = form.settings()
    if chosen is not None:  # the format's settings the form does not show (group sizes, role groups) stay
        settings = chosen.room_settings({k: v for k, v in settings.as_dict().items() if k in form})
    spec = rooms.RoomSpec(
        deck_slug=form.deck.data, team_names=lines(form.teams.data), title=form.title.data or "",
        cards=form.cards.data, roles=lines(form.roles.data) or None, shuffle=form.shuffle.data,
        settings=settings, previous_room_code=form.previous.data or None,
    )
    code = rooms.create_room(get_db(), g.facilitator_id, spec)
    if chosen is not None:
        formats.remember_format(get_db(), g.facilitator_id, code, chosen.slug)
    if form.save_as.data:
        templates.save_template(get_db(), g.facilitator_id, form.save_as.data, spec)
    return code


@bp.route("/rooms/<code>")
@login_required
def dashboard(code: str):  # noqa: ANN201
    """The live dashboard of one room (the page fills itself over Socket.IO)."""
    try:
        # Who is online now, so the first paint is right before the page's own connection reports in.
        from game.live.presence import presence

        from game.play.live_views import dashboard_overview  # every figure through the privacy gate

        overview = dashboard_overview(get_db(), g.facilitator_id, code, presence.online_ids())
    except RuleViolation:
        abort(404)
    room_code = overview["room"]["code"]
    from game.web.screen import screen_link

    started_from = formats.format_of_room(get_db(), g.facilitator_id, room_code)
    session_format = formats.load_formats(_formats_dir()).get(started_from) if started_from else None
    return render_template("dashboard.html", overview=overview, code=room_code, screen=screen_link(room_code),
                           display_code=display_join_code(room_code), link=join_link(room_code), end_form=ConfirmForm(),
                           session_format=session_format)


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
    flash(_("The session has ended."))
    return redirect(url_for("facilitator.dashboard", code=code))


@bp.route("/rooms/<code>/delete", methods=["POST"])
@login_required
def delete(code: str):  # noqa: ANN201
    """Delete the room with all its data (AVG/GDPR); connected tablets are told their seat is gone."""
    from game.play.privacy import delete_room

    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        deleted = delete_room(get_db(), g.facilitator_id, code)
    except RuleViolation:
        abort(404)
    publish(Outcome(events=[RoomDeleted(deleted.code, tuple(deleted.team_ids))]))  # the tablets forget the seat
    flash(_("Session %(code)s and all its data have been deleted.", code=display_join_code(deleted.code)))
    return redirect(url_for("facilitator.rooms"))
