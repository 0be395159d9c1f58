"""The deck editor's forms: Flask-WTF parses the fields and checks CSRF; game/decks.py's schema validates.

WTForms only carries the data here. Every rule about what a deck may contain lives in the one
pydantic schema; its errors are put back on the form field they belong to, in the page's language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from pydantic import ValidationError
from wtforms import FieldList, Form, FormField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from game.decks import DeckSchema, duplicate_ids
from game.deck_io import MAX_PROMPTS
from game.rules.cards import MAX_OPTIONS
from game.rules.kinds import NAMES as KIND_NAMES
from game.rules.kinds import takes_options
from game.web.deck_text import problem_text

LANGUAGES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


class CardForm(Form):
    """One card (a sub-form: the CSRF token belongs to the deck form)."""

    id = StringField()
    kind = RadioField(choices=[SelectChoice(name) for name in KIND_NAMES], validate_choice=False)
    title = StringField()
    text = TextAreaField()
    options = FieldList(StringField(), min_entries=MAX_OPTIONS, max_entries=MAX_OPTIONS)
    prompts = FieldList(TextAreaField(), min_entries=MAX_PROMPTS, max_entries=MAX_PROMPTS)
    themes = StringField()


class DeckForm(FlaskForm):
    based_on = HiddenField()
    slug = StringField()
    title = StringField()
    language = SelectField(choices=LANGUAGES, validate_choice=False)
    description = TextAreaField()
    themes = StringField()
    cards = FieldList(FormField(CardForm), max_entries=200)


class ImportForm(FlaskForm):
    file = FileField()
    title = StringField()
    language = SelectField(choices=LANGUAGES, default="nl")


def tags(text: str | None) -> list[str]:
    return [t for t in re.split(r"[,;\s]+", text or "") if t]


def fill(form: DeckForm, content: dict, slug: str) -> None:
    """Put a deck's content into an empty editor form (GET)."""
    form.slug.data, form.title.data, form.language.data = slug, content["title"], content["language"]
    form.description.data, form.themes.data = content["description"], ", ".join(content["themes"])
    while form.cards.entries:
        form.cards.pop_entry()
    for card in content["cards"]:
        form.cards.append_entry({
            "id": card["id"], "kind": card["kind"], "title": card["title"], "text": card["text"],
            "options": list(card.get("options") or []), "prompts": list(card.get("prompts") or []),
            "themes": ", ".join(card.get("themes") or []),
        })


@dataclass
class Parsed:
    """The deck data from a posted editor, and where each list item came from in the form."""

    data: dict
    origins: dict[tuple, str] = field(default_factory=dict)  # ("cards", i, "options", j) -> form field name


def parse(form: DeckForm, slug: str) -> Parsed:
    """Posted editor -> deck data. Blank options and prompts are left out; a statement's options are dropped."""
    parsed = Parsed({"slug": slug, "title": form.title.data or "", "language": form.language.data or "",
                     "description": form.description.data or "", "themes": tags(form.themes.data), "cards": []})
    for i, entry in enumerate(form.cards.entries):
        sub = entry.form
        card = {"id": (sub.id.data or "").strip(), "kind": sub.kind.data or "", "title": sub.title.data or "",
                "text": sub.text.data or "", "options": [], "prompts": [], "themes": tags(sub.themes.data)}
        for name in ("options", "prompts"):
            if name == "options" and not takes_options(card["kind"]):
                continue
            for item in getattr(sub, name).entries:
                if (item.data or "").strip():
                    parsed.origins[("cards", i, name, len(card[name]))] = item.name
                    card[name].append(item.data)
        parsed.data["cards"].append(card)
    return parsed


def validate(form: DeckForm, parsed: Parsed, language: str) -> tuple[DeckSchema | None, list[str]]:
    """Validate with the deck schema; errors go next to their fields. Returns (deck or None, general errors)."""
    try:
        return DeckSchema.model_validate(parsed.data), []
    except ValidationError as exc:
        general = []
        errors = [e for e in exc.errors() if e["loc"]]  # loc (): the duplicate-id rule, checked on the raw data below
        errors += [{"loc": (), "msg": f"card id '{card}' appears more than once"} for card in duplicate_ids(parsed.data)]
        for err in errors:
            message = problem_text(err["msg"].removeprefix("Value error, "), language)
            target = _field_for(form, parsed, tuple(err["loc"]), err["msg"])
            if target is None:
                general.append(message)
            elif message not in target.errors:
                target.errors = [*target.errors, message]  # a tuple before validation, so rebuild it
        return None, general


def _field_for(form: DeckForm, parsed: Parsed, loc: tuple, msg: str):  # noqa: ANN202
    """The form field an error belongs to (None: show it at the top)."""
    if not loc:
        duplicate = re.search(r"card id '(.*)' appears", msg)
        if duplicate:
            for entry in reversed(form.cards.entries):  # the later card is the copy whose code needs changing
                if (entry.form.id.data or "").strip() == duplicate.group(1):
                    return entry.form.id
        return None
    if loc[0] != "cards":
        return getattr(form, str(loc[0]), None)
    if len(loc) == 1:
        return None
    sub = form.cards.entries[loc[1]].form
    rest = loc[2:]
    if not rest:  # a card-level rule: all of them are about the options
        return sub.options
    if len(rest) == 2 and (loc[:4]) in parsed.origins:
        name = parsed.origins[loc[:4]]
        return next(item for item in getattr(sub, str(rest[0])).entries if item.name == name)
    return getattr(sub, str(rest[0]), None)


def error_count(form: Form) -> int:
    """How many messages a (nested) form shows next to its fields."""
    count = 0
    for f in form:
        if isinstance(f, FieldList):
            count += sum(1 for e in f.errors if isinstance(e, str))
            count += sum(error_count(entry.form) if isinstance(entry, FormField) else len(entry.errors) for entry in f.entries)
        elif f.type != "CSRFTokenField":
            count += len(f.errors)
    return count
