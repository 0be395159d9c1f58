"""Facilitator accounts over HTTP: first-run set-up, login, logout, adding a colleague."""
from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from game import security
from game.extensions import get_db
from game.i18n import error_text
from game.play import accounts
from game.rules.errors import RuleViolation
from game.web.forms import AccountForm, LoginForm

bp = Blueprint("auth", __name__)


def login_required(view: Callable) -> Callable:
    """Only for a signed-in facilitator; others go to the login page (or set-up on first run)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        facilitator_id = session.get("facilitator_id")
        # The session's version must still be the account's: logout, a password change or "log out
        # everywhere" ends copied cookies too (issue 17). A session from before versions counts as 0.
        name = accounts.signed_in(get_db(), facilitator_id, session.get("sv", 0)) if facilitator_id else None
        if name is None:
            session.pop("facilitator_id", None)
            session.pop("sv", None)
            return redirect(url_for("auth.login", next=request.path))
        g.facilitator_id, g.facilitator_name = facilitator_id, name
        return view(*args, **kwargs)

    return wrapped


def _sign_in(facilitator_id: int) -> None:
    locale = session.get("locale")  # the language the user chose survives the fresh session
    session.clear()  # a fresh session on login: no session fixation
    if locale:
        session["locale"] = locale
    session["facilitator_id"] = facilitator_id
    session["sv"] = accounts.session_version(get_db(), facilitator_id)
    session.permanent = True


@bp.route("/setup", methods=["GET", "POST"])
def setup():  # noqa: ANN201
    """First run: create the first facilitator account (only while there is none)."""
    if accounts.has_facilitators(get_db()):
        return redirect(url_for("auth.login"))
    form = AccountForm()
    if form.validate_on_submit():
        try:
            facilitator_id = accounts.create_facilitator(get_db(), form.username.data, form.password.data, first=True)
        except RuleViolation as exc:
            form.username.errors.append(error_text(exc))
        else:
            _sign_in(facilitator_id)
            flash(_("Welcome! Your account has been created. Create your first session."))
            return redirect(url_for("facilitator.rooms"))
    return render_template("setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    if not accounts.has_facilitators(get_db()):
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    if form.validate_on_submit():
        wait = security.login_blocked(security.client_ip(), form.username.data)  # rate limit (issue 8)
        if wait:
            form.password.errors.append(_("Too many failed attempts; try again in %(minutes)s minutes.", minutes=wait // 60 + 1))
            return render_template("login.html", form=form), 429, {"Retry-After": str(wait)}
        facilitator_id = accounts.verify_login(get_db(), form.username.data, form.password.data)
        if facilitator_id is not None:
            security.login_succeeded(security.client_ip(), form.username.data)
            _sign_in(facilitator_id)
            return redirect(security.local_path(request.args.get("next"), url_for("facilitator.rooms")))
        security.login_failed(security.client_ip(), form.username.data)
        form.password.errors.append(_("Username or password is wrong."))
    return render_template("login.html", form=form)


def _end_live_connections(facilitator_id: int) -> None:
    """Cut this account's Socket.IO connections on this process at once; other processes refuse their
    next event (the version is checked on every facilitator event)."""
    from game.live.events import end_facilitator_connections

    end_facilitator_connections(facilitator_id)


@bp.route("/logout", methods=["POST"])
def logout():  # noqa: ANN201
    """Ends every session of the account, not just this cookie: a copy taken before is useless (issue 17)."""
    facilitator_id = session.get("facilitator_id")
    if isinstance(facilitator_id, int) and accounts.signed_in(get_db(), facilitator_id, session.get("sv", 0)):
        accounts.end_sessions(get_db(), facilitator_id)
        _end_live_connections(facilitator_id)
    session.clear()
    return redirect(url_for("player.home"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():  # noqa: ANN201
    """Every other session and connection of this account ends; this browser stays signed in."""
    accounts.end_sessions(get_db(), g.facilitator_id)
    _end_live_connections(g.facilitator_id)
    _sign_in(g.facilitator_id)
    flash(_("Every other session of your account has been ended."))
    return redirect(url_for("auth.change_password"))


@bp.route("/facilitators/new", methods=["GET", "POST"])
@login_required
def new_facilitator():  # noqa: ANN201
    """A signed-in facilitator adds a colleague."""
    form = AccountForm()
    if form.validate_on_submit():
        try:
            accounts.create_facilitator(get_db(), form.username.data, form.password.data)
        except RuleViolation as exc:
            form.username.errors.append(error_text(exc))
        else:
            flash(_("Account '%(name)s' has been created.", name=form.username.data.strip()))
            return redirect(url_for("facilitator.rooms"))
    return render_template("new_facilitator.html", form=form)


class PasswordForm(FlaskForm):
    """Change one's own password (issue 8)."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD, max=200)])
    confirm = PasswordField(_l("Repeat new password"), validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():  # noqa: ANN201
    """A signed-in facilitator changes their password; the current one is asked again."""
    form = PasswordForm()
    if form.validate_on_submit():
        wait = security.login_blocked(security.client_ip(), g.facilitator_name)
        if wait:
            form.current.errors.append(_("Too many failed attempts; try again in %(minutes)s minutes.", minutes=wait // 60 + 1))
            return render_template("password.html", form=form), 429, {"Retry-After": str(wait)}
        try:
            accounts.change_password(get_db(), g.facilitator_id, form.current.data, form.password.data)
        except RuleViolation as exc:
            if exc.code == "account/wrong_password":
                security.login_failed(security.client_ip(), g.facilitator_name)
            (form.current if exc.code == "account/wrong_password" else form.password).errors.append(error_text(exc))
        else:
            facilitator_id = g.facilitator_id
            _end_live_connections(facilitator_id)  # the change bumped the session version
            _sign_in(facilitator_id)  # a fresh session after a credential change
            flash(_("Your password has been changed."))
            return redirect(url_for("facilitator.rooms"))
    return render_template("password.html", form=form)
