"""Deck versions: bundled decks stay read-only, every save is a new version, rooms keep the version they started with."""
from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from game.decks import DeckError
from game.play import library
from game.play.rooms import RoomSpec, create_room
from game.rules.errors import RuleViolation
from game.store.models import DeckRecord, RoomCardRecord, RoomRecord

BUNDLED_SLUG = "mobiliteit-bespreekbaar"


def versions(db, slug: str) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(DeckRecord).where(DeckRecord.slug == slug))


@pytest.fixture
def own(db) -> str:
    """An organisation's copy of a bundled deck (version 1)."""
    return library.duplicate_deck(db, BUNDLED_SLUG, "onze-mobiliteit", "Onze mobiliteit", "anna").slug


def test_a_duplicate_is_an_editable_version_1_and_the_bundled_deck_is_untouched(db, own):
    copy_ = library.get_deck(db, own)
    original = library.get_deck(db, BUNDLED_SLUG)
    assert (copy_["version"], copy_["bundled"], copy_["action"], copy_["author"]) == (1, False, "duplicate", "anna")
    assert copy_["content"]["cards"] == original["content"]["cards"]
    assert original["bundled"] and versions(db, BUNDLED_SLUG) == 1


def test_a_bundled_deck_cannot_be_saved_restored_or_extended(db):
    content = library.get_deck(db, BUNDLED_SLUG)["content"]
    with pytest.raises(RuleViolation) as exc:
        library.save_version(db, BUNDLED_SLUG, {**content, "title": "Gewijzigd"}, "anna")
    assert exc.value.code == "deck/read_only"
    with pytest.raises(RuleViolation):
        library.add_card_to_deck(db, BUNDLED_SLUG, {"kind": "statement", "title": "Nieuw", "text": "Stelling: dit is nieuw.", "prompts": ["Waarom wel?"]}, "anna")
    assert versions(db, BUNDLED_SLUG) == 1


def test_saving_makes_a_new_version_and_saving_the_same_content_does_not(db, own):
    content = copy.deepcopy(library.get_deck(db, own)["content"])
    content["cards"].reverse()
    saved = library.save_version(db, own, content, "bas", based_on=1)
    assert (saved.version, saved.changed) == (2, True)
    again = library.save_version(db, own, content, "bas", based_on=2)
    assert (again.version, again.changed) == (2, False)
    history = library.deck_versions(db, own)
    assert [(v["version"], v["action"], v["author"]) for v in history] == [(2, "edit", "bas"), (1, "duplicate", "anna")]


def test_a_save_based_on_an_older_version_is_refused_as_a_conflict(db, own):
    content = library.get_deck(db, own)["content"]
    library.save_version(db, own, {**content, "title": "Eerste wijziging"}, "anna", based_on=1)
    with pytest.raises(RuleViolation) as exc:
        library.save_version(db, own, {**content, "title": "Tweede wijziging"}, "bas", based_on=1)
    assert exc.value.code == "deck/conflict"
    assert library.get_deck(db, own)["title"] == "Eerste wijziging"


def test_an_invalid_deck_is_not_saved(db, own):
    content = copy.deepcopy(library.get_deck(db, own)["content"])
    content["cards"][0]["options"] = ["a", "b", "c", "d", "e"]
    with pytest.raises(DeckError) as exc:
        library.save_version(db, own, content, "anna")
    assert "a dilemma needs 2 to 4 options, not 5" in str(exc.value)
    assert versions(db, own) == 1


def test_restoring_an_old_version_adds_it_as_the_newest(db, own):
    content = library.get_deck(db, own)["content"]
    library.save_version(db, own, {**content, "title": "Tijdelijke titel"}, "anna")
    saved = library.restore_version(db, own, 1, "bas")
    restored = library.get_deck(db, own)
    assert saved.version == 3 and restored["content"] == content
    assert (restored["action"], restored["detail"], restored["author"]) == ("restore", "1", "bas")


def test_a_room_started_on_version_1_keeps_its_cards_after_the_deck_is_edited_to_version_2(db, own):
    code = create_room(db, None, RoomSpec(deck_slug=own, team_names=("Team 1",), shuffle=False))
    content = copy.deepcopy(library.get_deck(db, own)["content"])
    before = copy.deepcopy(content["cards"])
    content["cards"][0]["title"] = "Een heel andere kop"
    del content["cards"][1]
    assert library.save_version(db, own, content, "anna").version == 2
    with db.transaction() as session:
        room = session.scalar(select(RoomRecord).where(RoomRecord.code == code))
        cards = session.scalars(select(RoomCardRecord.card).where(RoomCardRecord.room_id == room.id).order_by(RoomCardRecord.position)).all()
        assert (room.deck.slug, room.deck.version) == (own, 1)
    assert list(cards) == before
    # A room started now plays version 2.
    new_code = create_room(db, None, RoomSpec(deck_slug=own, team_names=("Team 1",), shuffle=False, cards=1))
    with db.transaction() as session:
        room = session.scalar(select(RoomRecord).where(RoomRecord.code == new_code))
        assert room.deck.version == 2 and room.cards[0].card["title"] == "Een heel andere kop"
    used = next(d for d in library.library(db) if d["slug"] == own)["rooms"]
    assert sorted(r["version"] for r in used) == [1, 2]


def test_a_room_on_a_bundled_deck_keeps_its_cards_when_the_deck_file_is_rewritten(db, tmp_path):
    """Issue 19 rewrote cards of bundled decks in place (same ids): rooms that played the old text keep it."""
    from game.deck_io import to_yaml

    code = create_room(db, None, RoomSpec(deck_slug=BUNDLED_SLUG, team_names=("Team 1",), shuffle=False))
    content = copy.deepcopy(library.get_deck(db, BUNDLED_SLUG)["content"])
    before = copy.deepcopy(content["cards"])
    card = next(c for c in content["cards"] if c["id"] == "mb-05")
    card["text"] = "Een herschreven situatie in het Sociaal Domein, met een andere afweging. Wat besluit je?"
    card["options"] = card["options"][:3]
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / f"{BUNDLED_SLUG}.yml").write_text(to_yaml(content), encoding="utf-8")
    old_version = library.get_deck(db, BUNDLED_SLUG)["version"]
    assert library.sync_bundled_decks(db, folder) == 1
    assert library.get_deck(db, BUNDLED_SLUG)["version"] == old_version + 1
    with db.transaction() as session:
        room = session.scalar(select(RoomRecord).where(RoomRecord.code == code))
        cards = session.scalars(select(RoomCardRecord.card).where(RoomCardRecord.room_id == room.id).order_by(RoomCardRecord.position)).all()
        assert room.deck.version == old_version
    assert list(cards) == before  # the old text and all four options, so its votes keep their meaning


def test_a_players_dilemma_is_added_as_a_new_version_with_the_next_card_id(db, own):
    dilemma = {"kind": "dilemma", "title": "Een dilemma van een speler", "text": "Een situatie die een speler zelf meemaakte op het werk.",
               "options": ["Ik doe het een", "Ik doe het ander"], "prompts": ["Herken je dit?"]}
    saved = library.add_card_to_deck(db, own, dilemma, "anna")
    deck = library.get_deck(db, own)
    assert saved.version == 2 and deck["content"]["cards"][-1]["id"] == "mb-16"
    assert (deck["action"], deck["detail"]) == ("submission", "mb-16")
    with pytest.raises(DeckError) as exc:
        library.add_card_to_deck(db, own, {**dilemma, "options": ["Alleen een optie"]}, "anna")
    assert "mb-17: options: a dilemma needs 2 to 4 options, not 1" in str(exc.value)
    assert versions(db, own) == 2


def test_a_deck_file_never_overwrites_an_organisation_deck_with_the_same_slug(db, tmp_path, own):
    folder = tmp_path / "decks"
    folder.mkdir()
    data = library.get_deck(db, BUNDLED_SLUG)["content"]
    from game.deck_io import to_yaml

    (folder / f"{own}.yml").write_text(to_yaml({**data, "slug": own}), encoding="utf-8")
    assert library.sync_bundled_decks(db, folder) == 0
    assert versions(db, own) == 1 and not library.get_deck(db, own)["bundled"]


def test_the_library_lists_own_decks_first_with_cards_themes_and_author(db, own):
    decks = library.library(db)
    assert decks[0]["slug"] == own and not decks[0]["bundled"] and decks[0]["author"] == "anna"
    assert all(d["bundled"] for d in decks[1:])
    assert decks[0]["cards"] == 14 and "gesprek-op-tijd" in decks[0]["themes"]


@pytest.mark.parametrize("title, slug", [("Onze dilemma's 2027", "onze-dilemma-s-2027"), ("Één  -- twee", "een-twee"), ("!!!", "")])
def test_slugify_makes_a_valid_deck_code(title, slug):
    assert library.slugify(title) == slug


def test_a_free_slug_gets_a_number_when_taken(db, own):
    assert library.free_slug(db, "Onze mobiliteit") == "onze-mobiliteit-2"
