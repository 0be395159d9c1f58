"""The report over HTTP: the facilitator's live report and downloads, share links for the MT, the earlier room."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional
from wtforms.validators import Length

from game.extensions import get_db
from game.i18n import current_language, error_text, use_room_language
from game.report import sharing
from game.report.aggregate import ReportOptions
from game.report.render_html import CSS_FILES
from game.rules.privacy import DEFAULT_MIN_GROUP, LOWEST_MIN_GROUP
from game.report.service import FORMATS, render, room_id_for_code, room_report
from game.rules.codes import display_join_code
from game.rules.errors import RuleViolation
from game.web.auth import login_required
from game.web.forms import ConfirmForm

bp = Blueprint("report", __name__)
MIN_GROUP_CHOICES = (3, 4, 5, 6, 8, 10)
DOWNLOADS = (("PDF", "pdf"), ("XLSX", "xlsx"), (_l("CSV (zip of tables)"), "csv"), ("JSON", "json"))
# Reports hold HR data: never cached by a proxy, never indexed, never sent on as a referrer.
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


class ShareForm(FlaskForm):
    label = StringField(_l("For whom (optional)"), validators=[Optional(), Length(max=80)])
    days = IntegerField(_l("Valid (days)"), default=sharing.DEFAULT_EXPIRY_DAYS,
                        validators=[NumberRange(min=1, max=sharing.MAX_EXPIRY_DAYS)])
    min_group = SelectField(_l("Minimum group size"), coerce=int, default=DEFAULT_MIN_GROUP,
                            choices=[SelectChoice(n, _l("%(n)s (below the default: less anonymous)", n=n) if n < DEFAULT_MIN_GROUP else str(n))
                                     for n in MIN_GROUP_CHOICES])


class PreviousForm(FlaskForm):
    previous = SelectField(_l("Earlier session"), coerce=int)


def _min_group() -> int:
    value = request.args.get("min_group", type=int) or DEFAULT_MIN_GROUP
    return min(max(value, LOWEST_MIN_GROUP), sharing.MAX_MIN_GROUP)


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
        "stylesheets": _stylesheets(),
        "downloads": [(label, fmt, url_for("report.live", code=code, format=fmt, **args)) for label, fmt in DOWNLOADS],
        "share": url_for("report.manage", code=report.room.code),
        "min_group": {"action": url_for("report.live", code=code), "choices": MIN_GROUP_CHOICES},
        "sort_url": lambda key: url_for("report.live", code=code, sort=key, **args) + "#actions",
    }
    return _respond(report, request.args.get("format", "html"), toolbar)


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
    report = room_report(get_db(), access.room_id, ReportOptions(min_group=access.min_group, choose_language=reader_language))
    toolbar = {
        "back": None, "share": None, "min_group": None, "stylesheets": _stylesheets(),
        "downloads": [(label, fmt, url_for("report.shared", token=token, format=fmt)) for label, fmt in DOWNLOADS],
        "sort_url": lambda key: url_for("report.shared", token=token, sort=key) + "#actions",
    }
    # The MT's link shows no join code: holding the report must not let anyone into a still-open room.
    return _respond(report, request.args.get("format", "html"), toolbar, show_code=False)


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
