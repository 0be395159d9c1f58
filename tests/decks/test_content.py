"""Deck content beside the schema: no near-duplicate cards, themes used, prompts as questions, distinct options,
the declared language, and the decks table of docs/decks.md generated from the files.

Each check is a function that returns what it finds wrong; the bundled decks must give nothing, and a doctored
deck must be caught by every check (so none of them can pass vacuously).

Print the table for docs/decks.md with: .venv/bin/python -m tests.decks.test_content (--write puts it there)
"""
from __future__ import annotations

import copy
import re
from difflib import SequenceMatcher
from itertools import combinations

import pytest

from game.decks import DeckSchema, load_deck_file, parse_deck
from tests.conftest import ROOT

DECKS = [load_deck_file(p) for p in sorted((ROOT / "decks").glob("*.yml"))]
SELECTIONS = {"kennismaking"}  # decks that deliberately copy the strongest cards of other decks, word for word
DOCS = ROOT / "docs" / "decks.md"
WORD = re.compile(r"[a-zà-ÿ']+")
STOP_WORDS = {
    "nl": {"de", "het", "een", "en", "van", "je", "niet", "dat", "is", "in", "op", "te", "wat", "die", "ze", "zijn",
           "voor", "met", "er", "ook", "als", "maar", "om", "wie", "hij", "naar", "bij", "wij", "ik", "jij", "nog"},
    "en": {"the", "a", "an", "and", "of", "you", "not", "that", "is", "in", "on", "to", "what", "who", "she", "he",
           "for", "with", "there", "also", "as", "but", "it", "they", "we", "i", "at", "your", "do", "does", "this"},
}
NEAR_CARDS, NEAR_OPTIONS = 0.75, 0.8


# --- the checks ----------------------------------------------------------------------------------

def near(a: str, b: str) -> float:
    """How alike two texts are, 0..1 (the cheap upper bound first: most pairs are far apart)."""
    matcher = SequenceMatcher(None, a.lower(), b.lower(), autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() > 0.6 else 0.0


def near_duplicates(decks: list[DeckSchema]) -> list[str]:
    """Cards of different decks in one language whose texts are near-identical (selection decks excepted)."""
    cards = [(d, c) for d in decks if d.slug not in SELECTIONS for c in d.cards]
    # Compared within a language only: an English card may tell a Dutch card's story.
    return [f"{da.slug}:{a.id} ~ {db.slug}:{b.id}" for (da, a), (db, b) in combinations(cards, 2)
            if da.slug != db.slug and da.language == db.language and near(a.text, b.text) > NEAR_CARDS]


def theme_problems(deck: DeckSchema) -> list[str]:
    """Deck themes no card uses, card tags missing on the deck, cards without a tag."""
    used = {t for c in deck.cards for t in c.themes}
    return ([f"unused theme {t}" for t in deck.themes if t not in used]
            + [f"tag {t} not on the deck" for t in sorted(used - set(deck.themes))]
            + [f"{c.id} has no theme" for c in deck.cards if not c.themes])


def prompts_not_questions(deck: DeckSchema) -> list[str]:
    return [f"{c.id}: {p}" for c in deck.cards for p in c.prompts if not p.rstrip().endswith("?")]


def similar_options(deck: DeckSchema) -> list[str]:
    return [f"{c.id}: {a!r} ~ {b!r}" for c in deck.cards for a, b in combinations(c.options, 2)
            if near(a, b) >= NEAR_OPTIONS]


def language_counts(deck: DeckSchema) -> tuple[int, int]:
    """Stop words of the deck's declared language and of the other one, over every text of the deck."""
    parts = [deck.title, deck.description]
    for c in deck.cards:
        parts += [c.title, c.text, *c.options, *c.prompts]
    words = WORD.findall(" ".join(parts).lower())
    other = "en" if deck.language == "nl" else "nl"
    return sum(w in STOP_WORDS[deck.language] for w in words), sum(w in STOP_WORDS[other] for w in words)


def in_declared_language(deck: DeckSchema) -> bool:
    own, other = language_counts(deck)
    return own > 4 * other


def kind_problems(deck: DeckSchema) -> list[str]:
    """A statement starts as one; a dilemma ends with its question."""
    return [c.id for c in deck.cards
            if (c.kind == "statement" and not c.text.startswith(("Stelling:", "Statement:")))
            or (c.kind == "dilemma" and not c.text.rstrip().endswith("?"))]


# --- the bundled decks pass ----------------------------------------------------------------------

def test_no_two_cards_in_different_decks_have_near_identical_text():
    assert near_duplicates(DECKS) == []


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
    assert theme_problems(deck) == []


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_every_prompt_is_a_question(deck):
    assert prompts_not_questions(deck) == []


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_the_options_of_a_card_are_clearly_different(deck):
    assert similar_options(deck) == []


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_a_deck_is_written_in_its_declared_language(deck):
    assert in_declared_language(deck), f"{deck.slug} ({deck.language}): stop words own/other {language_counts(deck)}"


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_every_card_text_fits_the_tablet(deck):
    assert [c.id for c in deck.cards if len(c.text) > 600] == []


def test_a_statement_is_one_proposition_and_a_dilemma_asks_a_question():
    assert [(d.slug, kind_problems(d)) for d in DECKS if kind_problems(d)] == []


# Ids of cards that were replaced by a different card (issue 19): never used again, or the six-month comparison,
# which matches cards by id, would set a room's votes on the old card beside votes on an unrelated new one.
RETIRED = {"mobiliteit-bespreekbaar": {"mb-07"}, "talking-about-mobility": {"tm-07"},
           "krimp-en-kennisbehoud": {"kk-02"}, "regionale-mobiliteit": {"rm-09"}}


@pytest.mark.parametrize("deck", DECKS, ids=lambda d: d.slug)
def test_a_retired_card_id_is_not_used_again(deck):
    assert RETIRED.get(deck.slug, set()).isdisjoint(c.id for c in deck.cards)


# --- every check catches a doctored deck ---------------------------------------------------------

def _doctored(change) -> DeckSchema:  # noqa: ANN001
    """A bundled Dutch deck as plain data, changed by `change`, validated by the schema again."""
    data = load_deck_file(ROOT / "decks" / "mobiliteit-bespreekbaar.yml").model_dump()
    data = copy.deepcopy(data)
    change(data)
    return parse_deck(data)


def _card(data: dict, card_id: str) -> dict:
    return next(c for c in data["cards"] if c["id"] == card_id)


def test_the_checks_catch_a_near_copy_in_another_deck():
    original = next(d for d in DECKS if d.slug == "mobiliteit-bespreekbaar")
    text = original.cards[0].text.replace("58", "57").replace("teamleider", "leidinggevende")

    def copy_card(data: dict) -> None:
        data["slug"] = "een-ander-deck"
        data["cards"] = [{**data["cards"][0], "id": "ad-01", "title": "Een andere titel", "text": text}]
        data["themes"] = data["cards"][0]["themes"]
    other = _doctored(copy_card)
    assert near_duplicates([original, other]) == ["mobiliteit-bespreekbaar:mb-01 ~ een-ander-deck:ad-01"]
    english = other.model_copy(update={"language": "en"})
    assert near_duplicates([original, english]) == []  # a translation may tell the same story


def test_the_checks_catch_an_unused_theme_and_a_tag_missing_on_the_deck():
    deck = _doctored(lambda d: (d["themes"].append("functieruil"), _card(d, "mb-02")["themes"].append("talent")))
    assert theme_problems(deck) == ["unused theme functieruil", "tag talent not on the deck"]


def test_the_checks_catch_a_prompt_that_is_a_hint_not_a_question():
    deck = _doctored(lambda d: _card(d, "mb-03")["prompts"].append("Denk aan de kosten voor het team."))
    assert prompts_not_questions(deck) == ["mb-03: Denk aan de kosten voor het team."]


def test_the_checks_catch_two_options_that_say_the_same():
    def same(data: dict) -> None:
        _card(data, "mb-01")["options"][1] = _card(data, "mb-01")["options"][0].replace("nu zelf", "nu meteen zelf")
    assert [p.split(":")[0] for p in similar_options(_doctored(same))] == ["mb-01"]


def test_the_checks_catch_a_deck_in_the_other_language():
    english = next(d for d in DECKS if d.slug == "talking-about-mobility")
    assert not in_declared_language(english.model_copy(update={"language": "nl"}))
    dutch = next(d for d in DECKS if d.slug == "mobiliteit-bespreekbaar")
    assert not in_declared_language(dutch.model_copy(update={"language": "en"}))


def test_the_checks_catch_a_statement_without_its_label_and_a_dilemma_without_a_question():
    def strip(data: dict) -> None:
        _card(data, "mb-02")["text"] = _card(data, "mb-02")["text"].removeprefix("Stelling: ")
        _card(data, "mb-01")["text"] = _card(data, "mb-01")["text"].removesuffix(" Wat doe je?")
    assert kind_problems(_doctored(strip)) == ["mb-01", "mb-02"]


# --- the table in docs/decks.md ------------------------------------------------------------------

def decks_table(decks: list[DeckSchema]) -> str:
    """The decks x themes x card counts table of docs/decks.md, generated from the deck files."""
    lines = ["| File (slug) | Title | Lang | Cards | Themes (cards with the tag) |",
             "|-------------|-------|------|-------|-----------------------------|"]
    for d in sorted(decks, key=lambda d: d.slug):
        dilemmas = sum(c.kind == "dilemma" for c in d.cards)
        themes = ", ".join(f"{t} ({sum(t in c.themes for c in d.cards)})" for t in d.themes)
        lines.append(f"| `{d.slug}` | {d.title} | {d.language} | {len(d.cards)} ({dilemmas} dilemma's, "
                     f"{len(d.cards) - dilemmas} stellingen) | {themes} |")
    return "\n".join(lines)


def test_the_decks_table_in_the_docs_matches_the_deck_files():
    docs = DOCS.read_text(encoding="utf-8")
    expected = decks_table(DECKS)
    assert expected in docs, f"docs/decks.md: replace the decks table with\n{expected}"


def test_every_dutch_theme_deck_covers_its_theme_in_at_least_half_of_its_cards():
    """A theme deck is deep: the tag it is about is on most of its cards (not three cards out of fourteen)."""
    main = {"mobiliteit-bespreekbaar": "gesprek-op-tijd", "voorbeeld-geven": "voorbeeldrol", "dilemmas-korte-termijn":
            "korte-termijn", "functieruil-en-regio": "functieruil", "talent-en-passie": "portfolio",
            "regionale-mobiliteit": "regionale-samenwerking", "zelfinzicht-en-jobcrafting": "zelfinzicht",
            "krimp-en-kennisbehoud": "vacaturestop"}
    for deck in (d for d in DECKS if d.slug in main):
        tagged = sum(main[deck.slug] in c.themes for c in deck.cards)
        assert tagged * 2 >= len(deck.cards), f"{deck.slug}: {main[deck.slug]} on {tagged} of {len(deck.cards)} cards"


def write_decks_table() -> None:
    """Replace the decks table in docs/decks.md by the one generated from the files."""
    docs = DOCS.read_text(encoding="utf-8")
    start = docs.index("| File (slug) | Title | Lang | Cards |")
    end = docs.index("\n\n", start)
    DOCS.write_text(docs[:start] + decks_table(DECKS) + docs[end:], encoding="utf-8")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--write"]:
        write_decks_table()
    else:
        print(decks_table(DECKS))
