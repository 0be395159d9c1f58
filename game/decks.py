"""Deck files <-> rules objects: the one deck schema, used by the loader, `decks validate` and tests."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from game.rules.cards import MAX_OPTIONS, MIN_OPTIONS, Card, CardKind, Deck

log = logging.getLogger(__name__)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)]
MAX_FILE_BYTES = 1_000_000


def _text(min_len: int, max_len: int):  # noqa: ANN202
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_len, max_length=max_len)]


class CardSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    kind: Literal["dilemma", "statement"]
    title: _text(3, 80)
    text: _text(10, 600)
    options: list[_text(1, 160)] = Field(default_factory=list)
    prompts: list[_text(5, 300)] = Field(min_length=1, max_length=5)
    themes: list[Slug] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _options_fit_kind(self) -> CardSchema:
        if self.kind == "dilemma":
            if not MIN_OPTIONS <= len(self.options) <= MAX_OPTIONS:
                raise ValueError(f"a dilemma needs {MIN_OPTIONS} to {MAX_OPTIONS} options, not {len(self.options)}")
            if len(set(self.options)) != len(self.options):
                raise ValueError("options must all be different")
        elif self.options:
            raise ValueError("a statement has no options: players answer on the fixed 5-point scale")
        return self


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
        seen: set[str] = set()
        for card in self.cards:
            if card.id in seen:
                raise ValueError(f"card id '{card.id}' appears more than once")
            seen.add(card.id)
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


def parse_deck(data: object, source: str = "<deck>") -> DeckSchema:
    """Validate plain data as a deck, or raise DeckError listing every problem."""
    try:
        return DeckSchema.model_validate(data)
    except ValidationError as exc:
        raise DeckError([_problem(source, data, err) for err in exc.errors()]) from None


def _problem(source: str, data: object, err: dict) -> DeckProblem:
    loc = list(err["loc"])
    card = "-"
    if len(loc) >= 2 and loc[0] == "cards" and isinstance(loc[1], int):
        index = loc[1]
        cards = data.get("cards") if isinstance(data, dict) else None
        raw = cards[index] if isinstance(cards, list) and index < len(cards) else None
        card = str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") else f"card#{index + 1}"
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
    deck = load_deck_bytes(raw, name)
    if deck.slug != path.stem:
        raise DeckError([DeckProblem(name, "-", "slug", f"'{deck.slug}' must equal the file name '{path.stem}'")])
    return deck


def load_deck_bytes(raw: bytes, name: str) -> DeckSchema:
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
    return parse_deck(data, name)


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
