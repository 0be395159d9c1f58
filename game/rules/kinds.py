"""What differs between card kinds, in one place: choices, marks, camps, stances, predictions, majority.

A dilemma's choices are its 2–4 options, marked A–D; each option is its own camp and its own stance.
A statement's choices are the points of the 5-point scale, marked 1–5; they fall into three camps (the
sides: disagree, neutral, agree), arguments are for or against, and predictions name a side.
The report, the tablet and the templates ask the definition (`kind_of(card)`) instead of testing
`kind == "statement"` themselves.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from game.rules import agreement
from game.rules.cards import SCALE, SCALE_LABELS, Card, CardKind

LETTERS = "ABCDEFGH"
SIDES = (-1, 0, 1)
SIDE_KEYS = {-1: "disagree", 0: "neutral", 1: "agree"}
STANCE_OF_SIDE = {-1: "against", 1: "for"}


def side(choice: int) -> int:
    """The side of the 5-point scale a statement vote is on: -1 disagree, 0 neutral, 1 agree."""
    return (choice > 3) - (choice < 3)


@dataclass(frozen=True)
class KindDefinition:
    """The behaviour of one card kind (see the module docstring)."""

    kind: CardKind

    @property
    def name(self) -> str:
        return self.kind.value

    @property
    def is_scale(self) -> bool:
        """Votes are points on an ordered scale (a mean means something)."""
        return self.kind is CardKind.STATEMENT

    def choices(self, card: Card) -> tuple[int, ...]:
        return card.choices()

    def marks(self, card: Card) -> tuple[str, ...]:
        """How a choice is marked on the tablet, the charts and the report: A–D or 1–5."""
        return tuple(LETTERS[i] for i in range(len(card.options))) if not self.is_scale else tuple(map(str, SCALE))

    def camp_values(self, n_choices: int) -> tuple[int, ...]:
        """The camps a vote falls in: the options (1..n) or the sides (-1, 0, 1)."""
        return SIDES if self.is_scale else tuple(range(1, n_choices + 1))

    def camp_of(self, choice: int) -> int:
        return side(choice) if self.is_scale else choice

    def camp_counts(self, counts: Sequence[int]) -> list[int]:
        """Counts over the choices (in choice order) -> counts over the camps (in camp order)."""
        if not self.is_scale:
            return list(counts)
        totals = {s: 0 for s in SIDES}
        for value, n in zip(SCALE, counts):
            totals[side(value)] += n
        return [totals[s] for s in SIDES]

    def opposing_camps(self) -> tuple[int, int] | None:
        """Indexes of the two camps that are each other's opposite (None: the two largest ones)."""
        return (0, 2) if self.is_scale else None

    def read(self, counts: Sequence[int]) -> agreement.Agreement | None:
        """The agreement reading of counts over the card's choices."""
        return agreement.read(self.camp_counts(counts), self.opposing_camps())

    def stance_of(self, choice: int) -> str | None:
        """The argument stance a vote for `choice` argues: the option number, or for / against."""
        return STANCE_OF_SIDE.get(side(choice)) if self.is_scale else str(choice)

    def stance_of_camp(self, camp: int) -> str | None:
        return STANCE_OF_SIDE.get(camp) if self.is_scale else str(camp)

    def prediction_values(self, n_choices: int) -> tuple[int, ...]:
        """What a player may predict as the team's majority: an option, or a side."""
        return self.camp_values(n_choices)

    def default_labels(self, language: str) -> tuple[str, ...] | None:
        return SCALE_LABELS.get(language, SCALE_LABELS["nl"]) if self.is_scale else None


DEFINITIONS = {kind: KindDefinition(kind) for kind in CardKind}


def kind_of(card_or_kind: Card | CardKind | str) -> KindDefinition:
    """The definition of a card's kind (a Card, a CardKind or its name)."""
    kind = card_or_kind.kind if isinstance(card_or_kind, Card) else CardKind(card_or_kind)
    return DEFINITIONS[kind]


def page_config() -> dict:
    """The kinds as plain data for the page's JavaScript (one source, like the phases)."""
    return {k.name: {"scale": k.is_scale, "marks": list(LETTERS[:4]) if not k.is_scale else [str(v) for v in SCALE],
                     "camps": [SIDE_KEYS[s] for s in SIDES] if k.is_scale else None}
            for k in DEFINITIONS.values()}
