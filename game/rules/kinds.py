"""What differs between card kinds, in one place: choices, marks, camps, stances, predictions, majority.

A dilemma's choices are its 2–4 options, marked A–D; each option is its own camp and its own stance.
A statement's choices are the points of the 5-point scale, marked 1–5; they fall into three camps (the
sides: disagree, neutral, agree), arguments are for or against, and predictions name a side.
The report, the tablet and the templates ask the definition (`kind_of(card)`; the scripts get
`page_config()` in the page config, static/js/kinds.js) instead of testing `kind == "statement"` themselves.
Words are English gettext message ids, translated where they are shown (like RuleViolation's messages),
so the rules stay free of Flask and of catalogues.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from game.rules import agreement
from game.rules.cards import MAX_OPTIONS, SCALE, SCALE_LABELS, Card, CardKind

LETTERS = "ABCDEFGH"
SIDES = (-1, 0, 1)
SIDE_KEYS = {-1: "disagree", 0: "neutral", 1: "agree"}
STANCE_OF_SIDE = {-1: "against", 1: "for"}


def N_(message: str) -> str:
    """Marks a message id for the extractor (`make messages`); translated where it is shown."""
    return message


# What a player reads about each kind (message ids). A scale's sides and stances have names; a
# dilemma's camps and stances are its options, named by the card itself.
LABELS = {CardKind.DILEMMA: N_("Dilemma"), CardKind.STATEMENT: N_("Statement")}
DESCRIPTIONS = {CardKind.DILEMMA: N_("Dilemma with 2 to 4 options"), CardKind.STATEMENT: N_("Statement (agree or disagree)")}
SIDE_NAMES = {-1: N_("Disagree"), 0: N_("Neutral"), 1: N_("Agree")}
SIDE_STANCES = (  # (stance, its short name on an argument, the choice in the argument form)
    ("for", N_("For"), N_("For the statement")),
    ("against", N_("Against"), N_("Against the statement")),
)
OPTION_STANCE = N_("For: %(option)s")


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

    @property
    def label(self) -> str:
        """The kind's name as players read it (a message id): Dilemma, Statement."""
        return LABELS[self.kind]

    @property
    def description(self) -> str:
        """The kind as a form offers it to someone writing a card (a message id)."""
        return DESCRIPTIONS[self.kind]

    @property
    def has_written_options(self) -> bool:
        """The card's author writes its options (a dilemma); a statement answers on the fixed scale."""
        return not self.is_scale

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

    def camp_mark(self, camp: int, side_names: Mapping[int, str]) -> str:
        """How a camp is shown: an option by its letter, a side of the scale by its name in `side_names`."""
        return side_names[camp] if self.is_scale else LETTERS[camp - 1]

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
NAMES = tuple(k.name for k in DEFINITIONS.values())  # in kind order: the first is a new card's kind


def kind_of(card_or_kind: Card | CardKind | str) -> KindDefinition:
    """The definition of a card's kind (a Card, a CardKind or its name)."""
    kind = card_or_kind.kind if isinstance(card_or_kind, Card) else CardKind(card_or_kind)
    return DEFINITIONS[kind]


def takes_options(name: str) -> bool:
    """Whether a posted card of kind `name` keeps its written options (a form may post any name: an
    unknown one keeps them, and the deck schema refuses the kind)."""
    return next((k.has_written_options for k in DEFINITIONS.values() if k.name == name), True)


def page_config(gettext: Callable[[str], str] | None = None) -> dict:
    """The kinds as plain data for the page's JavaScript (one source, like the phases), in kind order.

    Words are translated with `gettext` (English ids without one). `camps` and `stances` are None when
    they are the card's own options: each option is a camp named by its mark, and an argument may be
    for an option (`option_stance`, with %(option)s for the option's text)."""
    say = gettext or (lambda message: message)
    config = {}
    for k in DEFINITIONS.values():
        scale = k.is_scale
        config[k.name] = {
            "name": k.name, "label": say(k.label), "description": say(k.description), "scale": scale,
            "written_options": k.has_written_options,
            "marks": [str(v) for v in SCALE] if scale else list(LETTERS[:MAX_OPTIONS]),
            "camps": [{"value": s, "key": SIDE_KEYS[s], "label": say(SIDE_NAMES[s])} for s in SIDES] if scale else None,
            "stances": [{"value": v, "label": say(short), "choice": say(choice)} for v, short, choice in SIDE_STANCES]
            if scale else None,
            "option_stance": None if scale else say(OPTION_STANCE),
        }
    return config
