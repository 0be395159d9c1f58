"""The report over HTTP: the facilitator's live report and downloads, share links for the MT, the earlier room."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional
from wtforms.validators import Length

from game.extensions import get_db
from game.i18n import current_language, error_text, use_room_language
from game.report import sharing
from game.play import follow_up, live_views
from game.report.aggregate import ReportOptions
from game.report.model import Action
from game.report.text import long_date, strings
from game.report.render_html import CSS_FILES
from game.rules.privacy import DEFAULT_MIN_GROUP, LOWEST_MIN_GROUP
from game.report.service import FORMATS, render, room_id_for_code, room_report
from game.rules.codes import display_join_code
from game.rules.errors import RuleViolation
from game.web.auth import login_required
from game.web.forms import CleanText, ConfirmForm

bp = Blueprint("report", __name__)
MIN_GROUP_CHOICES = (3, 4, 5, 6, 8, 10)
DOWNLOADS = (("PDF", "pdf"), ("XLSX", "xlsx"), (_l("CSV (zip of tables)"), "csv"), ("JSON", "json"))
# Reports hold HR data: never cached by a proxy, never indexed, never sent on as a referrer to another site.
# (same-origin, not no-referrer: the page's status forms post back to us, and over HTTPS Flask-WTF's CSRF
# check refuses a POST without a same-origin Referer.)
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "same-origin"}
BACK_TO = ("report", "dashboard")   # where a status form returns to (never a URL from the form: no open redirect)


class ShareForm(FlaskForm):
    label = StringField(_l("For whom (optional)"), validators=[Optional(), Length(max=80), CleanText()])
    days = IntegerField(_l("Valid (days)"), default=sharing.DEFAULT_EXPIRY_DAYS,
                        validators=[NumberRange(min=1, max=sharing.MAX_EXPIRY_DAYS)])
    min_group = SelectField(_l("Minimum group size"), coerce=int, default=DEFAULT_MIN_GROUP,
                            choices=[SelectChoice(n, _l("%(n)s (below the default: less anonymous)", n=n) if n < DEFAULT_MIN_GROUP else str(n))
                                     for n in MIN_GROUP_CHOICES])


class PreviousForm(FlaskForm):
    previous = SelectField(_l("Earlier session"), coerce=int)


class StatusForm(FlaskForm):
    """An action's status, from the report page, a share link or the follow-up's dashboard."""

    status = SelectField(choices=follow_up.ACTION_STATUSES)
    back = HiddenField(default="report")


def status_form(url_of: Callable[[int], str], language: str, back: str = "report") -> Callable[[Action | dict], Markup]:
    """The toolbar's `status_form(action)`: a small form per action that posts to `url_of(action id)`."""
    t = strings(language)

    def form(action: Action | dict) -> Markup:
        a = action if isinstance(action, dict) else {"id": action.id, "status": action.status, "what": action.what}
        return Markup(render_template("report/_status_form.html", a=a, t=t, url=url_of(a["id"]), back=back,
                                      statuses=follow_up.ACTION_STATUSES))
    return form


def _min_group() -> int:
    value = request.args.get("min_group", type=int) or DEFAULT_MIN_GROUP
    return min(max(value, LOWEST_MIN_GROUP), sharing.MAX_MIN_GROUP)


def _scripts() -> list[str]:
    """The download links say that a PDF is being made (static/js/download_progress.js)."""
    return [url_for("static", filename="js/download_progress.js")]


def _stylesheets() -> list[str]:
    """The page links its CSS (the Content-Security-Policy forbids inline styles); the PDF inlines it."""
    return [url_for("static", filename=name) for name in CSS_FILES]


def reader_language(room_language: str) -> str:
    """The report speaks the language of the rest of the site: the room's, unless the reader chose one."""
    use_room_language(room_language)
    return current_language()


def _respond(report, fmt: str, toolbar: dict | None, show_code: bool = True) -> Response:  # noqa: ANN001
    if fmt not in FORMATS:
        abort(400)
    out = (render(report, fmt, toolbar=toolbar, sort=request.args.get("sort"), show_code=show_code) if fmt == "html"
           else render(report, fmt))
    response = Response(out.body, mimetype=out.mimetype, headers=PRIVATE_HEADERS)
    if fmt != "html":
        response.headers["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    return response


@bp.route("/rooms/<code>/report")
@login_required
def live(code: str):  # noqa: ANN201
    """The facilitator's report, live during the session and after it (?format=pdf|csv|xlsx|json)."""
    try:
        room_id = room_id_for_code(get_db(), code, g.facilitator_id)
    except RuleViolation:
        abort(404)
    min_group = _min_group()
    report = room_report(get_db(), room_id, ReportOptions(min_group=min_group, choose_language=reader_language))
    args = {"min_group": min_group} if min_group != DEFAULT_MIN_GROUP else {}
    toolbar = {
        "back": url_for("facilitator.dashboard", code=report.room.code),
        "stylesheets": _stylesheets(), "scripts": _scripts(),
        "downloads": [(label, fmt, url_for("report.live", code=code, format=fmt, **args)) for label, fmt in DOWNLOADS],
        "share": url_for("report.manage", code=report.room.code),
        "min_group": {"action": url_for("report.live", code=code), "choices": MIN_GROUP_CHOICES},
        "sort_url": lambda key: url_for("report.live", code=code, sort=key, **args) + "#actions",
        "status_form": status_form(lambda i: url_for("report.live_status", code=report.room.code, action_id=i), report.language),
    }
    return _respond(report, request.args.get("format", "html"), toolbar)


@bp.route("/rooms/<code>/groups")
@login_required
def groups_live(code: str):  # noqa: ANN201
    """The dashboard's live role-group picture: an HTML fragment of the report's role groups, through the
    privacy gate at the room's minimum group size."""
    from game.report.render_html import render_fragment
    from game.rules.settings import RoomSettings
    from game.store.models import RoomRecord

    try:
        room_id = room_id_for_code(get_db(), code, g.facilitator_id)
    except RuleViolation:
        abort(404)
    with get_db().transaction() as session:
        min_group = RoomSettings.from_dict(session.get(RoomRecord, room_id).settings).min_group
    report = room_report(get_db(), room_id, ReportOptions(min_group=max(min_group, LOWEST_MIN_GROUP),
                                                          choose_language=reader_language))
    # Only cards every table has revealed (or the room has ended): their figures no longer change between refreshes.
    settled = live_views.settled_cards(get_db(), room_id)
    shown = replace(report, cards=[c for c in report.cards if c.position in settled])
    return Response(render_fragment(shown, "report/_groups_live.html", waiting=len(report.cards) - len(shown.cards)),
                    mimetype="text/html", headers=PRIVATE_HEADERS)


@bp.route("/share/<token>")
def shared(token: str):  # noqa: ANN201
    """The MT's read-only report through a share link; a revoked or expired link gets a clear page."""
    try:
        access = sharing.resolve_share(get_db(), token)
    except LookupError:
        return _gone(404, _("Unknown link"), _("This link to a report does not exist. Check the link or ask the facilitator for a new one."))
    except sharing.ShareGone as exc:
        message = (_("The facilitator has revoked this link.") if exc.reason == "revoked"
                   else _("This link has expired.")) + " " + _("Ask the facilitator for a new link.")
        return _gone(410, _("Link no longer valid"), message)
    report = without_codes(room_report(get_db(), access.room_id,
                                       ReportOptions(min_group=access.min_group, choose_language=reader_language)))
    toolbar = {
        "back": None, "share": None, "min_group": None, "stylesheets": _stylesheets(), "scripts": _scripts(),
        "downloads": [(label, fmt, url_for("report.shared", token=token, format=fmt)) for label, fmt in DOWNLOADS],
        "sort_url": lambda key: url_for("report.shared", token=token, sort=key) + "#actions",
        "status_form": status_form(lambda i: url_for("report.shared_status", token=token, action_id=i), report.language),
    }
    return _respond(report, request.args.get("format", "html"), toolbar, show_code=False)


def without_codes(report):  # noqa: ANN001, ANN201
    """The MT's copy: no join code anywhere, on the page, in a download or its file name (nor the earlier
    session's): holding the report must not let anyone into a room that is still open (issue 17)."""
    comparison = report.comparison and replace(report.comparison, previous_code="")
    return replace(report, room=replace(report.room, code=""), comparison=comparison)


def _gone(status: int, title: str, message: str):  # noqa: ANN202
    return render_template("error.html", status=status, title=title, message=message), status, PRIVATE_HEADERS


@bp.route("/rooms/<code>/report/share", methods=["GET", "POST"])
@login_required
def manage(code: str):  # noqa: ANN201
    """Share links (create, list, revoke) and the earlier room this one is compared with."""
    db = get_db()
    try:
        room_id = room_id_for_code(db, code, g.facilitator_id)
    except RuleViolation:
        abort(404)
    form, previous_form = ShareForm(), PreviousForm()
    earlier = sharing.earlier_rooms(db, g.facilitator_id, room_id)
    previous_form.previous.choices = [SelectChoice(0, _("— none —"))] + [
        SelectChoice(r["id"], f"{r['title']} ({display_join_code(r['code'])}, {r['created_at']:%d-%m-%Y})") for r in earlier]
    new_link = None
    if form.validate_on_submit():
        try:
            token = sharing.create_share(db, g.facilitator_id, room_id, form.days.data, form.min_group.data, form.label.data or "")
        except RuleViolation as exc:
            form.form_errors.append(error_text(exc))
        else:
            new_link = url_for("report.shared", token=token, _external=True)
    with db.transaction() as session:
        from game.store.models import RoomRecord

        room = session.get(RoomRecord, room_id)
        current_previous, title, room_code = room.previous_room_id, room.title, room.code
    if request.method == "GET":
        previous_form.previous.data = current_previous or 0
    return render_template("report/manage.html", form=form, previous_form=previous_form, revoke_form=ConfirmForm(),
                           shares=sharing.shares_of(db, g.facilitator_id, room_id), new_link=new_link, title=title,
                           code=room_code, display_code=display_join_code(room_code), earlier=earlier,
                           default_min_group=DEFAULT_MIN_GROUP)


@bp.route("/rooms/<code>/report/share/<int:share_id>/revoke", methods=["POST"])
@login_required
def revoke(code: str, share_id: int):  # noqa: ANN201
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        room_id = room_id_for_code(get_db(), code, g.facilitator_id)
        sharing.revoke_share(get_db(), g.facilitator_id, room_id, share_id)
    except RuleViolation:
        abort(404)
    flash(_("The link has been revoked."))
    return redirect(url_for("report.manage", code=code))


@bp.route("/rooms/<code>/report/previous", methods=["POST"])
@login_required
def previous(code: str):  # noqa: ANN201
    form = PreviousForm()
    try:
        room_id = room_id_for_code(get_db(), code, g.facilitator_id)
    except RuleViolation:
        abort(404)
    form.previous.choices = [SelectChoice(0, "")] + [SelectChoice(r["id"], "") for r in sharing.earlier_rooms(get_db(), g.facilitator_id, room_id)]
    if not form.validate_on_submit():
        abort(400)
    sharing.link_previous(get_db(), g.facilitator_id, room_id, form.previous.data or None)
    flash(_("The comparison has been updated.") if form.previous.data else _("The link with an earlier session has been removed."))
    return redirect(url_for("report.manage", code=code))


# --- The six-month follow-up (issue 14): an action's status, set by the facilitator or the MT ---


def _posted_status() -> tuple[str, str]:
    form = StatusForm()
    if not form.validate_on_submit() or form.back.data not in BACK_TO:
        abort(400)
    return form.status.data, form.back.data


@bp.route("/rooms/<code>/actions/<int:action_id>/status", methods=["POST"])
@login_required
def live_status(code: str, action_id: int):  # noqa: ANN201
    """The facilitator sets an action's status (report page or dashboard); back to the same action."""
    status, back = _posted_status()
    try:
        follow_up.set_status_as_facilitator(get_db(), g.facilitator_id, code, action_id, status)
    except RuleViolation:
        abort(404)
    target = url_for("facilitator.dashboard", code=code) if back == "dashboard" else url_for("report.live", code=code)
    return redirect(f"{target}#action-{action_id}", 303)


@bp.route("/share/<token>/actions/<int:action_id>/status", methods=["POST"])
def shared_status(token: str, action_id: int):  # noqa: ANN201
    """The MT sets an action's status through its share link: only of this room and the room it is compared with."""
    status, _back = _posted_status()
    try:
        access = sharing.resolve_share(get_db(), token)
        follow_up.set_status(get_db(), access.room_id, action_id, status)
    except (LookupError, sharing.ShareGone, RuleViolation):
        abort(404)
    return redirect(url_for("report.shared", token=token) + f"#action-{action_id}", 303)


@bp.app_context_processor
def _follow_up_review() -> dict:
    """The dashboard's review of the earlier session's actions (templates/_follow_up_review.html)."""
    def review(code: str) -> dict | None:
        if getattr(g, "facilitator_id", None) is None:
            return None
        found = follow_up.review(get_db(), g.facilitator_id, code)
        if found is not None:
            language = current_language()
            found["status_form"] = status_form(lambda i: url_for("report.live_status", code=code, action_id=i),
                                               language, back="dashboard")
            found["t"], found["long_date"] = strings(language), (lambda value: long_date(value, language))
        return found
    return {"follow_up_review": review}
