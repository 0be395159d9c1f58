"""One distribution of votes as the report shows it: counts, camps, reading, majority, mean — after the gate."""
from __future__ import annotations

from collections.abc import Sequence

from game.report import model as rm
from game.rules import agreement, privacy
from game.rules.cards import SCALE_LABELS
from game.rules.kinds import SIDE_KEYS, KindDefinition

# The sides of a statement in the report's words (its camps): the scale's own labels.
SIDE_LABELS = {
    "nl": {-1: "oneens", 0: "neutraal", 1: "eens"},
    "en": {-1: "disagree", 0: "neutral", 1: "agree"},
}


def camp_label(kind: KindDefinition, choices: Sequence[rm.Choice], camp: int, language: str | None = None) -> str:
    """'B. Tijdelijk detacheren' for an option, 'eens' for a side (in the language of the choices' labels)."""
    if not kind.is_scale:
        choice = choices[camp - 1]
        return f"{choice.mark}. {choice.label}"
    if language is None:
        language = next((lang for lang, labels in SCALE_LABELS.items() if labels[0] == choices[0].label), "nl")
    return SIDE_LABELS.get(language, SIDE_LABELS["nl"])[camp]


def camp_reading(kind: KindDefinition, choices: Sequence[rm.Choice], camp_counts: Sequence[int]) -> rm.Reading | None:
    """The reading of counts over the card's camps (predictions name a camp; votes are turned into camps first)."""
    found = agreement.read(list(camp_counts), kind.opposing_camps())
    if found is None:
        return None
    camp = kind.camp_values(len(choices))[found.top_camp]
    return rm.Reading(reading=found.reading, share=round(found.share, 6), top_count=found.top_count, total=found.total,
                      top_camp=camp, top_label=camp_label(kind, choices, camp), tied=found.tied)


def reading(kind: KindDefinition, choices: Sequence[rm.Choice], counts: Sequence[int]) -> rm.Reading | None:
    """The reading of counts over the card's choices."""
    return camp_reading(kind, choices, kind.camp_counts(counts))


def _majority(counts: Sequence[int]) -> int | None:
    if not counts or not sum(counts):
        return None
    best = max(counts)
    winners = [i + 1 for i, c in enumerate(counts) if c == best]
    return winners[0] if len(winners) == 1 else None


def _mean(kind: KindDefinition, counts: Sequence[int]) -> float | None:
    n = sum(counts)
    if not kind.is_scale or not n:
        return None
    return round(sum((i + 1) * c for i, c in enumerate(counts)) / n, 3)


def tally(kind: KindDefinition, choices: Sequence[rm.Choice], counts: Sequence[int], min_group: int) -> rm.Tally | None:
    """The room's distribution over a card's choices, or None when the privacy gate withholds it."""
    released = privacy.release_group(list(counts), min_group)
    if released is None:
        return None
    shown = list(released.counts)
    return rm.Tally(counts=shown, total=sum(shown), camps=kind.camp_counts(shown), agreement=reading(kind, choices, shown),
                    majority=_majority(shown), mean=_mean(kind, shown), unanimous=released.unanimous)


def group_of(kind: KindDefinition, choices: Sequence[rm.Choice], released: privacy.Released) -> rm.Group:
    """A breakdown group released by the gate, with its reading."""
    counts = list(released.counts)
    return rm.Group(group=str(released.group), other=released.group == privacy.OTHER, n=released.n, counts=counts,
                    unanimous=released.unanimous, agreement=reading(kind, choices, counts), majority=_majority(counts),
                    mean=_mean(kind, counts))


__all__ = ["SIDE_KEYS", "camp_label", "camp_reading", "group_of", "reading", "tally"]
