"""Forms (Flask-WTF: CSRF on every form, server-side validation)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from game.play.accounts import MIN_PASSWORD


class LoginForm(FlaskForm):
    username = StringField("Gebruikersnaam", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(), Length(max=200)])


class AccountForm(FlaskForm):
    username = StringField("Gebruikersnaam", validators=[DataRequired(), Length(min=3, max=80)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)])
    confirm = PasswordField("Herhaal wachtwoord", validators=[DataRequired(), EqualTo("password", "De wachtwoorden verschillen.")])


class RoomForm(FlaskForm):
    deck = SelectField("Kaartspel", validators=[DataRequired()])
    title = StringField("Titel van de sessie", validators=[Optional(), Length(max=120)])
    cards = IntegerField("Aantal kaarten (leeg = alle)", validators=[Optional(), NumberRange(min=1, max=200)])
    teams = TextAreaField("Teams (één naam per regel, 1 tot 20)", validators=[DataRequired(), Length(max=2000)])
    roles = TextAreaField("Rollen (één per regel)", validators=[DataRequired(), Length(max=2000)])
    shuffle = BooleanField("Kaarten schudden", default=True)


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


def lines(text: str) -> tuple[str, ...]:
    """Textarea -> non-empty stripped lines."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())
