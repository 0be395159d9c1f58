"""Facilitator accounts over HTTP: first-run set-up, login, logout, adding a colleague."""
from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from game.extensions import get_db
from game.play import accounts
from game.rules.errors import RuleViolation
from game.web.forms import AccountForm, LoginForm

bp = Blueprint("auth", __name__)


def login_required(view: Callable) -> Callable:
    """Only for a signed-in facilitator; others go to the login page (or set-up on first run)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        facilitator_id = session.get("facilitator_id")
        name = accounts.facilitator_name(get_db(), facilitator_id) if facilitator_id else None
        if name is None:
            session.pop("facilitator_id", None)
            return redirect(url_for("auth.login", next=request.path))
        g.facilitator_id, g.facilitator_name = facilitator_id, name
        return view(*args, **kwargs)

    return wrapped


def _sign_in(facilitator_id: int) -> None:
    session.clear()  # a fresh session on login: no session fixation
    session["facilitator_id"] = facilitator_id
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
            form.username.errors.append(exc.message)
        else:
            _sign_in(facilitator_id)
            flash("Welkom! Je account is aangemaakt. Maak je eerste sessie aan.")
            return redirect(url_for("facilitator.rooms"))
    return render_template("setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    if not accounts.has_facilitators(get_db()):
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    if form.validate_on_submit():
        facilitator_id = accounts.verify_login(get_db(), form.username.data, form.password.data)
        if facilitator_id is not None:
            _sign_in(facilitator_id)
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("facilitator.rooms"))
        form.password.errors.append("Gebruikersnaam of wachtwoord klopt niet.")
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():  # noqa: ANN201
    session.clear()
    return redirect(url_for("player.home"))


@bp.route("/facilitators/new", methods=["GET", "POST"])
@login_required
def new_facilitator():  # noqa: ANN201
    """A signed-in facilitator adds a colleague."""
    form = AccountForm()
    if form.validate_on_submit():
        try:
            accounts.create_facilitator(get_db(), form.username.data, form.password.data)
        except RuleViolation as exc:
            form.username.errors.append(exc.message)
        else:
            flash(f"Account '{form.username.data.strip()}' is aangemaakt.")
            return redirect(url_for("facilitator.rooms"))
    return render_template("new_facilitator.html", form=form)
