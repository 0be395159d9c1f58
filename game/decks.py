"""Deck files <-> rules objects: the one deck schema, used by the loader, `decks validate` and tests."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo,
                      field_validator, model_validator)

from game.rules.cards import MAX_OPTIONS, MIN_OPTIONS, Card, CardKind, Deck
from game.rules.errors import RuleViolation
from game.rules.text import clean_text, text_problem

log = logging.getLogger(__name__)

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
Slug = Annotated[str, StringConstraints(pattern=rf"^{SLUG.pattern}$", max_length=40)]
MAX_FILE_BYTES = 1_000_000


def _clean(value: str) -> str:
    """game/rules/text.py's check as a schema error, so a file's every problem is still listed."""
    try:
        return clean_text(value)
    except RuleViolation as exc:
        raise ValueError(exc.message) from None


def _text(min_len: int, max_len: int):  # noqa: ANN202
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_len, max_length=max_len), AfterValidator(_clean)]


def options_problem(kind: str, options: list[str]) -> str | None:
    """What is wrong with a card's options for its kind (None: nothing)."""
    if kind == "dilemma":
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            return f"a dilemma needs {MIN_OPTIONS} to {MAX_OPTIONS} options, not {len(options)}"
        if len(set(options)) != len(options):
            return "options must all be different"
    elif options:
        return "a statement has no options: players answer on the fixed 5-point scale"
    return None


def duplicate_ids(data: object) -> list[str]:
    """Card ids that appear more than once in raw deck data, each once, in file order."""
    cards = data.get("cards") if isinstance(data, dict) else None
    ids = [c.get("id") for c in cards if isinstance(c, dict)] if isinstance(cards, list) else []
    ids = [i for i in ids if isinstance(i, str)]
    return list(dict.fromkeys(i for n, i in enumerate(ids) if i in ids[:n]))


class CardSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    kind: Literal["dilemma", "statement"]
    title: _text(3, 80)
    text: _text(10, 600)
    options: list[_text(1, 160)] = Field(default_factory=list, validate_default=True)
    prompts: list[_text(5, 300)] = Field(min_length=1, max_length=5)
    themes: list[Slug] = Field(default_factory=list, max_length=10)

    # A field rule, not a model rule: it is checked (and named `options`) even when the title fails.
    @field_validator("options")
    @classmethod
    def _options_fit_kind(cls, options: list[str], info: ValidationInfo) -> list[str]:
        problem = options_problem(info.data["kind"], options) if "kind" in info.data else None
        if problem:
            raise ValueError(problem)
        return options


class DeckSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: Slug
    title: _text(3, 120)
    language: Literal["nl", "en"]
    description: _text(1, 600)
    themes: list[Slug] = Field(min_length=1, max_length=10)
    cards: list[CardSchema] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _unique_card_ids(self) -> DeckSchema:
        doubled = duplicate_ids({"cards": [{"id": c.id} for c in self.cards]})
        if doubled:  # parse_deck names each at its card; the editor puts it next to the card's id
            raise ValueError(f"card id '{doubled[0]}' appears more than once")
        return self


@dataclass(frozen=True)
class DeckProblem:
    """One problem in a deck file, printed as `file:card-id: field: message`."""

    file: str
    card: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.card}: {self.field}: {self.message}"


class DeckError(Exception):
    def __init__(self, problems: list[DeckProblem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def parse_deck(data: object, source: str = "<deck>", file_stem: str | None = None) -> DeckSchema:
    """Validate plain data as a deck, or raise DeckError listing every problem of it in one go.

    The rules across fields (unique card ids; the slug is the file's name) are checked on the raw data
    too, so a broken title elsewhere never hides them (pydantic skips a model rule when a field fails)."""
    if not isinstance(data, dict):
        raise DeckError([DeckProblem(source, "-", "(file)", "not a deck: the file must hold slug, title, language, "
                                                            "description, themes and cards")])
    problems = []
    slug = data.get("slug")
    if file_stem is not None and isinstance(slug, str) and SLUG.fullmatch(slug) and slug != file_stem:
        problems.append(DeckProblem(source, "-", "slug", f"'{slug}' must equal the file name '{file_stem}'"))
    try:
        deck = DeckSchema.model_validate(data)
    except ValidationError as exc:
        # loc () is the duplicate-id rule (or nothing): reported below, at each card it concerns
        problems += [_problem(source, data, err) for err in exc.errors() if err["loc"]]
    else:
        if not problems:
            return deck
    raise DeckError(problems + duplicate_problems(source, data))


def duplicate_problems(source: str, data: object) -> list[DeckProblem]:
    """One problem per card id that appears more than once, named at that card's `id`."""
    return [DeckProblem(source, card, "id", f"card id '{card}' appears more than once")
            for card in duplicate_ids(data) if SLUG.fullmatch(card)]


def _label(card_id: object, index: int) -> str:
    """How a problem names its card: the id, unless that is missing or could garble a terminal (then its position)."""
    if isinstance(card_id, (str, int)) and not isinstance(card_id, bool) and str(card_id).strip() and text_problem(str(card_id)) is None:
        return str(card_id)[:80]
    return f"card#{index + 1}"


def _problem(source: str, data: object, err: dict) -> DeckProblem:
    loc = list(err["loc"])
    card = "-"
    if len(loc) >= 2 and loc[0] == "cards" and isinstance(loc[1], int):
        index = loc[1]
        cards = data.get("cards") if isinstance(data, dict) else None
        raw = cards[index] if isinstance(cards, list) and index < len(cards) else None
        card = _label(raw.get("id") if isinstance(raw, dict) else None, index)
        loc = loc[2:]
    field = ".".join(str(part) for part in loc) or ("(deck)" if card == "-" else "(card)")
    message = err["msg"].removeprefix("Value error, ")
    return DeckProblem(source, card, field, message)


def load_deck_file(path: Path) -> DeckSchema:
    """Read and validate one YAML deck file; DeckError on any problem."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DeckError([DeckProblem(name, "-", "(file)", f"cannot read: {exc.strerror}")]) from None
    return load_deck_bytes(raw, name, file_stem=path.stem)


def load_deck_bytes(raw: bytes, name: str, file_stem: str | None = None) -> DeckSchema:
    """Validate the bytes of a YAML deck (a file or an upload); DeckError on any problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise DeckError([DeckProblem(name, "-", "(file)", f"larger than {MAX_FILE_BYTES} bytes")])
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DeckError([DeckProblem(name, "-", "(file)", "not UTF-8 text")]) from None
    except RecursionError:  # "[[[[..." thousands deep: PyYAML's composer recurses (a 500 before; issue 8)
        raise DeckError([DeckProblem(name, "-", "(file)", "not valid YAML: nested too deeply")]) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where else ""
        raise DeckError([DeckProblem(name, "-", "(file)", f"not valid YAML{line}: {getattr(exc, 'problem', exc)}")]) from None
    return parse_deck(data, name, file_stem)


def load_deck_dir(folder: Path) -> list[DeckSchema]:
    """All valid decks in a folder; a broken file is logged and skipped, never fatal."""
    decks = []
    for path in sorted(folder.glob("*.yml")):
        try:
            decks.append(load_deck_file(path))
        except DeckError as exc:
            for problem in exc.problems:
                log.error("deck skipped: %s", problem)
    return decks


def to_deck(schema: DeckSchema) -> Deck:
    """Validated schema -> the rules' Deck value."""
    return Deck(
        slug=schema.slug, title=schema.title, language=schema.language,
        description=schema.description, themes=tuple(schema.themes),
        cards=tuple(card_from_data(c.model_dump()) for c in schema.cards),
    )


def card_from_data(data: dict) -> Card:
    """A card stored as plain data (deck content, room card) -> Card."""
    return Card(
        key=data["id"], kind=CardKind(data["kind"]), title=data["title"], text=data["text"],
        options=tuple(data.get("options") or ()), prompts=tuple(data.get("prompts") or ()),
        themes=tuple(data.get("themes") or ()),
    )
