"""Cards and decks as plain values: what a card asks and which answers it allows."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

# The fixed 5-point scale of statement cards (index 1..5). Labels are Dutch and English.
SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {
    "nl": ("helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"),
    "en": ("strongly disagree", "disagree", "neutral", "agree", "strongly agree"),
}
MIN_OPTIONS, MAX_OPTIONS = 2, 4


class CardKind(str, enum.Enum):
    DILEMMA = "dilemma"
    STATEMENT = "statement"


@dataclass(frozen=True)
class Card:
    """One card as played: a dilemma with 2-4 options or a statement on the 5-point scale."""

    key: str
    kind: CardKind
    title: str
    text: str
    options: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()

    def choices(self) -> tuple[int, ...]:
        """The legal vote values: option numbers 1..n, or the scale points 1..5."""
        if self.kind is CardKind.DILEMMA:
            return tuple(range(1, len(self.options) + 1))
        return SCALE

    def choice_labels(self, language: str = "nl") -> tuple[str, ...]:
        if self.kind is CardKind.DILEMMA:
            return self.options
        return SCALE_LABELS.get(language, SCALE_LABELS["nl"])


@dataclass(frozen=True)
class Deck:
    slug: str
    title: str
    language: str
    description: str
    themes: tuple[str, ...]
    cards: tuple[Card, ...] = field(default_factory=tuple)
