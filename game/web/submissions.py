"""The facilitator reviews players' own dilemmas: edit one with the deck editor's card form, then
accept it into an own deck (a new version) or a new deck, or reject it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import FormField, SelectField, StringField, TextAreaField

from game.decks import CardSchema, DeckError
from game.extensions import get_db
from game.security import local_referrer
from game.i18n import current_language, error_text
from game.play import library, submissions
from game.rules.cards import SCALE_LABELS
from game.rules.codes import display_join_code
from game.rules.errors import RuleViolation
from game.rules.kinds import takes_options
from game.web.auth import login_required
from game.web.deck_forms import CardForm, tags
from game.web.deck_text import problem_text, text_for
from game.web.forms import ConfirmForm

bp = Blueprint("submissions", __name__)
NEW_DECK = "__new__"
DEFAULT_PROMPT = {"dilemma": "Wat zou jij doen, en wat kost en levert dat op?",
                  "statement": "Waarom ben je het eens of oneens, en wat zou dat in jullie organisatie betekenen?"}


class ReviewForm(FlaskForm):
    """The deck editor's card sub-form plus where the card goes."""

    card = FormField(CardForm)
    target = SelectField(validate_choice=False)
    deck_title = StringField()
    deck_description = TextAreaField()
    deck_themes = StringField()


def _own_decks() -> list[dict]:
    return [d for d in library.library(get_db()) if not d["bundled"]]


def _fill(form: ReviewForm, room: dict, item: dict, decks: list[dict]) -> None:
    """A new review: the player's words, one suggested prompt, and a deck to put it in."""
    card = form.card.form
    card.kind.data, card.title.data, card.text.data = item["kind"], item["title"], item["text"]
    for entry, option in zip(card.options.entries, item["options"]):
        entry.data = option
    card.prompts.entries[0].data = DEFAULT_PROMPT[item["kind"]]
    card.themes.data = "ingebracht"
    same_language = [d for d in decks if d["language"] == room["language"]]
    form.target.data = same_language[0]["slug"] if same_language else NEW_DECK
    form.deck_title.data = f"Ingebrachte dilemma's – {room['title']}"[:120]
    form.deck_description.data = f"Dilemma's die deelnemers zelf inbrachten tijdens '{room['title']}'."[:600]
    form.deck_themes.data = "ingebracht"


def card_data(card: CardForm) -> dict:
    """The posted card as deck data, like the editor's `parse`: blank options and prompts left out."""
    kind = card.kind.data or ""
    return {"id": (card.id.data or "").strip(), "kind": kind, "title": card.title.data or "", "text": card.text.data or "",
            "options": [] if not takes_options(kind) else [o.data for o in card.options.entries if (o.data or "").strip()],
            "prompts": [p.data for p in card.prompts.entries if (p.data or "").strip()], "themes": tags(card.themes.data)}


def check_card(card: CardForm, data: dict, language: str) -> bool:
    """Validate with the deck schema; each message goes next to its field (as in the editor)."""
    try:
        CardSchema.model_validate({**data, "id": data["id"] or "nieuw-01"})
        return True
    except ValidationError as exc:
        for err in exc.errors():
            loc = err["loc"]
            target = getattr(card, str(loc[0]), None) if loc else card.options
            if target is None:
                target = card.options
            if len(loc) == 2 and loc[0] in ("options", "prompts") and isinstance(loc[1], int):
                entries = [e for e in getattr(card, str(loc[0])).entries if (e.data or "").strip()]
                target = entries[loc[1]] if loc[1] < len(entries) else target
            message = problem_text(err["msg"].removeprefix("Value error, "), language)
            target.errors = [*target.errors, message]
        return False


@bp.route("/rooms/<code>/submissions")
@login_required
def index(code: str):  # noqa: ANN201
    """Every dilemma the room's players brought in: new ones first."""
    try:
        room, items = submissions.of_room(get_db(), g.facilitator_id, code)
    except RuleViolation:
        abort(404)
    titles = {d["slug"]: d["title"] for d in library.library(get_db())}
    return render_template("submissions.html", room=room, items=items, display_code=display_join_code(room["code"]),
                           confirm=ConfirmForm(), deck_titles=titles)


@bp.route("/submissions/<int:submission_id>", methods=["GET", "POST"])
@login_required
def review(submission_id: int):  # noqa: ANN201
    """Edit a submitted dilemma as a deck card and accept it into a deck (a new version)."""
    try:
        room, item = submissions.get(get_db(), g.facilitator_id, submission_id)
    except RuleViolation:
        abort(404)
    decks = _own_decks()
    form = ReviewForm()
    language = room["language"]
    general: list[str] = []
    status = 200
    if item["status"] != "new":
        flash(_("This dilemma has already been reviewed."))
        return redirect(url_for("submissions.index", code=room["code"]))
    if request.method == "GET":
        _fill(form, room, item, decks)
    elif not form.validate_on_submit() or "target" not in request.form:
        abort(400)  # not the review form (a browser always sends the target and the card)
    else:
        saved = _accept(form, submission_id, language, decks, general)
        if saved is not None:
            deck = library.get_deck(get_db(), saved.slug)
            flash(_("Added to ‘%(deck)s’ (version %(n)s).", deck=deck["title"], n=saved.version))
            return redirect(url_for("submissions.index", code=room["code"]))
        status = 422
    return render_template("submission_review.html", room=room, item=item, form=form, decks=decks, new_deck=NEW_DECK,
                           general=general, t=text_for(language), scale=SCALE_LABELS[language], confirm=ConfirmForm(),
                           display_code=display_join_code(room["code"])), status


def _accept(form: ReviewForm, submission_id: int, language: str, decks: list[dict], general: list[str]):  # noqa: ANN202
    data = card_data(form.card.form)
    if not check_card(form.card.form, data, language):
        return None
    target = form.target.data or ""
    if target != NEW_DECK and target not in {d["slug"] for d in decks}:
        general.append(_("Choose an own card deck or a new one (a bundled deck cannot be changed)."))
        return None
    new_deck = {"title": form.deck_title.data or "", "description": form.deck_description.data or "",
                "themes": tags(form.deck_themes.data), "language": language}
    try:
        return submissions.accept(get_db(), g.facilitator_id, submission_id, data, g.facilitator_name,
                                  deck_slug=None if target == NEW_DECK else target, new_deck=new_deck)
    except DeckError as exc:
        general.extend(f"{_('Card deck') if p.card == '-' else _('Card')} · {p.field}: {problem_text(p.message, current_language())}"
                       for p in exc.problems)
    except RuleViolation as exc:
        general.append(error_text(exc))
    return None


@bp.route("/submissions/<int:submission_id>/reject", methods=["POST"])
@login_required
def reject(submission_id: int):  # noqa: ANN201
    """Do not use this dilemma; it stays listed (and counted in the report)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        room, _item = submissions.get(get_db(), g.facilitator_id, submission_id)
        submissions.reject(get_db(), g.facilitator_id, submission_id)
    except RuleViolation as exc:
        if exc.code == "submission/not_found":
            abort(404)
        flash(error_text(exc))
        return redirect(local_referrer(url_for("facilitator.rooms")))  # a page of this site only (issue 17)
    flash(_("The dilemma has been rejected."))
    return redirect(url_for("submissions.index", code=room["code"]))
