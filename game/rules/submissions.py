"""Own dilemmas: what a player may submit, and how the facilitator's review may change its status."""
from __future__ import annotations

from dataclasses import dataclass

from game.rules.cards import MAX_OPTIONS, MIN_OPTIONS, CardKind
from game.rules.errors import RuleViolation

# The same limits as a card in a deck (game/decks.py CardSchema), so an accepted dilemma fits a deck.
TITLE_CHARS = (3, 80)
TEXT_CHARS = (10, 600)
OPTION_CHARS = (1, 160)
MAX_PER_PLAYER = 10   # a player brings in a few dilemmas, not a flood

NEW, ACCEPTED, REJECTED = "new", "accepted", "rejected"
STATUSES = (NEW, ACCEPTED, REJECTED)


@dataclass(frozen=True)
class Submission:
    """A checked submission. A statement has no options (it is answered on the 5-point scale)."""

    title: str
    text: str
    kind: CardKind
    options: tuple[str, ...] = ()


def kind_of(options: list | tuple) -> CardKind:
    """The kind of a stored submission: a dilemma needs options, a statement has none."""
    return CardKind.DILEMMA if options else CardKind.STATEMENT


def _clean(text: str) -> str:
    return " ".join(text.split())


def check_submission(title: str, text: str, kind: str, options: list[str], already: int = 0) -> Submission:
    """Normalise and check a player's dilemma; RuleViolation names the first problem."""
    if already >= MAX_PER_PLAYER:
        raise RuleViolation("submission/too_many", "You can submit at most %(n)s dilemmas.", n=MAX_PER_PLAYER)
    try:
        card_kind = CardKind(kind)
    except ValueError:
        raise RuleViolation("submission/invalid_kind", "Choose a dilemma (with options) or a statement.") from None
    title, text = _clean(title), _clean(text)
    if not TITLE_CHARS[0] <= len(title) <= TITLE_CHARS[1]:
        raise RuleViolation("submission/invalid_title", "Give a title of %(low)s to %(high)s characters.", low=TITLE_CHARS[0], high=TITLE_CHARS[1])
    if not TEXT_CHARS[0] <= len(text) <= TEXT_CHARS[1]:
        raise RuleViolation("submission/invalid_text", "Describe the situation in %(low)s to %(high)s characters.", low=TEXT_CHARS[0], high=TEXT_CHARS[1])
    cleaned = tuple(_clean(o) for o in options if _clean(o))
    if card_kind is CardKind.STATEMENT:
        if cleaned:
            raise RuleViolation("submission/invalid_options", "A statement has no options: everyone answers on the scale of 1 to 5.")
        return Submission(title, text, card_kind)
    if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        raise RuleViolation("submission/invalid_options", "A dilemma has %(low)s to %(high)s options.", low=MIN_OPTIONS, high=MAX_OPTIONS)
    if any(len(o) > OPTION_CHARS[1] for o in cleaned):
        raise RuleViolation("submission/invalid_options", "An option has at most %(n)s characters.", n=OPTION_CHARS[1])
    if len(set(o.casefold() for o in cleaned)) != len(cleaned):
        raise RuleViolation("submission/invalid_options", "The options must differ from each other.")
    return Submission(title, text, card_kind, cleaned)


def check_review(status: str) -> None:
    """Only a new submission is accepted or rejected; a reviewed one stays as it was."""
    if status != NEW:
        if status == ACCEPTED:
            raise RuleViolation("submission/already_reviewed", "This dilemma has already been accepted.")
        raise RuleViolation("submission/already_reviewed", "This dilemma has already been rejected.")
