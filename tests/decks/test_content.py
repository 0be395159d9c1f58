"""Deck content beside the schema: no near-duplicate cards, themes used, prompts as questions, the declared language."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import combinations

import pytest

from game.decks import load_deck_file
from tests.conftest import ROOT

DECKS = [load_deck_file(p) for p in sorted((ROOT / "decks").glob("*.yml"))]
SELECTIONS = {"kennismaking"}  # decks that deliberately copy the strongest cards of other decks, word for word
WORD = re.compile(r"[a-zà-ÿ']+")
STOP_WORDS = {
    "nl": {"de", "het", "een", "en", "van", "je", "niet", "dat", "is", "in", "op", "te", "wat", "die", "ze", "zijn",
           "voor", "met", "er", "ook", "als", "maar", "om", "wie", "hij", "naar", "bij", "wij", "ik", "jij", "nog"},
    "en": {"the", "a", "an", "and", "of", "you", "not", "that", "is", "in", "on", "to", "what", "who", "she", "he",
           "for", "with", "there", "also", "as", "but", "it", "they", "we", "i", "at", "your", "do", "does", "this"},
}


def all_text(deck) -> str:  # noqa: ANN001
    parts = [deck.title, deck.description]
    for c in deck.cards:
        parts += [c.title, c.text, *c.options, *c.prompts]
    return " ".join(parts).lower()


def near(a: str, b: str) -> float:
    """How alike two texts are, 0..1 (the cheap upper bound first: most pairs are far apart)."""
    matcher = SequenceMatcher(None, a.lower(), b.lower(), autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() > 0.6 else 0.0


def test_no_two_cards_in_different_decks_have_near_identical_text():
    cards = [(d.slug, c) for d in DECKS if d.slug not in SELECTIONS for c in d.cards]
    # Translations are compared within a language only: an English card may tell the Dutch card's story.
    close = [f"{da}:{a.id} ~ {db}:{b.id}" for (da, a), (db, b) in combinations(cards, 2)
             if da != db and _language(da) == _language(db) and near(a.text, b.text) > 0.75]
    assert close == []


def test_no_two_cards_within_a_deck_share_a_title():
    for deck in DECKS:
        titles = [c.title.lower() for c in deck.cards]
        assert len(set(titles)) == len(titles), deck.slug


def test_a_selection_deck_copies_its_cards_word_for_word_from_a_theme_deck():
    originals = {(c.title, c.text): c for d in DECKS if d.slug not in SELECTIONS for c in d.cards}
    for deck in (d for d in DECKS if d.slug in SELECTIONS):
        for card in deck.cards:
            source = originals.get((card.title, card.text))
            assert source is not None, f"{deck.slug}:{card.id} is not a copy of a theme deck's card"
            assert (card.kind, card.options, card.prompts) == (source.kind, source.options, source.prompts), card.id


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_every_theme_of_a_deck_is_used_by_its_cards_and_every_card_has_one(deck):
    used = {t for c in deck.cards for t in c.themes}
    assert set(deck.themes) <= used, f"{deck.slug}: unused themes {sorted(set(deck.themes) - used)}"
    assert used <= set(deck.themes), f"{deck.slug}: card themes not on the deck {sorted(used - set(deck.themes))}"
    assert all(c.themes for c in deck.cards)


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_every_prompt_is_a_question(deck):
    assert [f"{c.id}: {p}" for c in deck.cards for p in c.prompts if not p.rstrip().endswith("?")] == []


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_the_options_of_a_card_are_clearly_different(deck):
    for c in deck.cards:
        for a, b in combinations(c.options, 2):
            assert near(a, b) < 0.8, f"{c.id}: {a!r} ~ {b!r}"


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_a_deck_is_written_in_its_declared_language(deck):
    words = WORD.findall(all_text(deck))
    own = sum(w in STOP_WORDS[deck.language] for w in words)
    other = sum(w in STOP_WORDS["en" if deck.language == "nl" else "nl"] for w in words)
    assert own > 4 * other, f"{deck.slug} ({deck.language}): {own} own stop words, {other} of the other language"


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_every_card_text_fits_the_tablet(deck):
    assert [c.id for c in deck.cards if len(c.text) > 600] == []


def test_a_statement_is_one_proposition_and_a_dilemma_asks_a_question():
    for deck in DECKS:
        for c in deck.cards:
            if c.kind == "statement":
                assert c.text.startswith(("Stelling:", "Statement:")), c.id
            else:
                assert c.text.rstrip().endswith("?"), f"{deck.slug}:{c.id}"


def _language(slug: str) -> str:
    return next(d.language for d in DECKS if d.slug == slug)
