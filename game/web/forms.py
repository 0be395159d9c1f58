"""Forms (Flask-WTF: CSRF on every form, server-side validation)."""
from __future__ import annotations

import logging

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, ValidationError

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from game.play.accounts import MIN_PASSWORD
from game.rules.errors import RuleViolation
from game.rules.text import clean_text

log = logging.getLogger(__name__)


class CleanText:
    """game/rules/text.py on a form field: NFC; control characters, direction overrides and text that
    shows nothing are refused next to the field, before anything reaches the database (PostgreSQL
    refuses NUL in text: without this a 500)."""

    def __init__(self, per_line: bool = False):
        self.per_line = per_line  # a textarea of names: a line that shows nothing is refused on its own

    def __call__(self, _form: FlaskForm, field: StringField) -> None:
        if isinstance(field.data, str) and field.data:
            try:
                field.data = clean_text(field.data)
                for line in field.data.splitlines() if self.per_line else ():
                    clean_text(line)
            except RuleViolation as exc:
                log.warning("refused form field %s: %s", field.name, exc.code)  # one line, no traceback
                raise ValidationError(exc.text(gettext)) from None


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80), CleanText()])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class AccountForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=80), CleanText()])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)])
    confirm = PasswordField(_l("Repeat password"), validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])


class RoomForm(FlaskForm):
    deck = SelectField(_l("Card deck"), validators=[DataRequired()])
    title = StringField(_l("Title of the session"), validators=[Optional(), Length(max=120), CleanText()])
    cards = IntegerField(_l("Number of cards (empty = all)"), validators=[Optional(), NumberRange(min=1, max=200)])
    teams = TextAreaField(_l("Teams (one name per line, 1 to 20)"), validators=[DataRequired(), Length(max=2000), CleanText(per_line=True)])
    roles = TextAreaField(_l("Roles (one per line)"), validators=[DataRequired(), Length(max=2000), CleanText(per_line=True)])
    shuffle = BooleanField(_l("Shuffle the cards"), default=True)
    pacing = SelectField(_l("Pace"), choices=[SelectChoice("team", _l("Each team at its own pace")),
                                           SelectChoice("plenary", _l("Plenary: the facilitator takes the steps for all tables"))], default="team")
    second_vote = BooleanField(_l("Second vote after the discussion"), default=True)
    predictions = BooleanField(_l("Predict your team's majority"), default=True)
    comfort = BooleanField(_l("“Can you live with it?” after each decision"), default=False)
    points = BooleanField(_l("Points and badges"), default=True)
    vote_seconds = IntegerField(_l("Voting time in seconds (empty = no timer)"), validators=[Optional(), NumberRange(min=10, max=3600)])
    discuss_seconds = IntegerField(_l("Discussion time in seconds (empty = no timer)"), validators=[Optional(), NumberRange(min=10, max=3600)])
    role_groups = TextAreaField(_l("Role groups for the report and the dashboard (one per line: “Name: role, role”; empty = the default grouping)"),
                                validators=[Optional(), Length(max=2000)])
    template = SelectField(_l("Start from a template"), validators=[Optional()], default="")
    previous = SelectField(_l("Follow-up of an earlier session (for the comparison in the report)"), validators=[Optional()], default="")
    save_as = StringField(_l("Also save these settings as a template named"), validators=[Optional(), Length(max=120), CleanText()])

    def validate_role_groups(self, field) -> None:  # noqa: ANN001
        """Every named role must be one of the session's roles, and in one group only (game/rules/role_groups.py)."""
        from wtforms.validators import ValidationError

        from game.i18n import error_text
        from game.rules.errors import RuleViolation
        from game.rules.role_groups import parse

        try:
            self.parsed_role_groups = parse(field.data or "", lines(self.roles.data or ""))
        except RuleViolation as exc:
            raise ValidationError(error_text(exc)) from exc

    def settings(self):  # noqa: ANN201
        from game.rules.settings import RoomSettings

        return RoomSettings(pacing=self.pacing.data, second_vote=self.second_vote.data, predictions=self.predictions.data,
                            comfort=self.comfort.data, points=self.points.data, vote_seconds=self.vote_seconds.data,
                            discuss_seconds=self.discuss_seconds.data,
                            role_groups=getattr(self, "parsed_role_groups", None) or None)


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


def lines(text: str) -> tuple[str, ...]:
    """Textarea -> non-empty stripped lines."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())
