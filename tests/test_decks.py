"""Deck files: the bundled decks are valid, and a bad deck names every problem as file:card-id: field: message."""
from __future__ import annotations

import copy
import logging
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from game.decks import DeckError, load_deck_dir, load_deck_file
from game.play.library import list_decks
from tests.conftest import ROOT, make_app

BUNDLED = sorted((ROOT / "decks").glob("*.yml"))
EXAMPLE = ROOT / "docs" / "examples" / "voorbeeld.yml"
INZETSPEL = ROOT / ".venv" / "bin" / "inzetspel"


@pytest.fixture(scope="module")
def example_data() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def write_deck(tmp_path: Path, example_data: dict) -> Callable[..., Path]:
    """write_deck(change, name=...) -> a deck file: the example deck, changed in place by `change`."""

    def _write(change: Callable[[dict], object] = lambda d: None, name: str = "voorbeeld") -> Path:
        data = copy.deepcopy(example_data)
        change(data)
        path = tmp_path / f"{name}.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return _write


def problems(path: Path) -> list[str]:
    """The problem lines of a deck file (empty when it is valid)."""
    try:
        load_deck_file(path)
    except DeckError as exc:
        return [str(p) for p in exc.problems]
    return []


def card(kind: str) -> Callable[[dict], dict]:
    return lambda data: next(c for c in data["cards"] if c["kind"] == kind)


dilemma, statement = card("dilemma"), card("statement")


# --- the bundled decks ---------------------------------------------------------------------------

FIRST_SESSION = "kennismaking"  # the mixed deck of the ten strongest cards, for a first 60-minute session


def test_there_are_at_least_eight_dutch_theme_decks_of_fourteen_cards_and_three_english_decks():
    decks = [load_deck_file(p) for p in BUNDLED]
    assert sum(d.language == "nl" and d.slug != FIRST_SESSION and len(d.cards) >= 14 for d in decks) >= 8
    assert sum(d.language == "en" for d in decks) >= 3


def test_the_first_session_deck_has_ten_cards_of_both_kinds():
    deck = load_deck_file(ROOT / "decks" / f"{FIRST_SESSION}.yml")
    assert len(deck.cards) == 10 and {c.kind for c in deck.cards} == {"dilemma", "statement"}


@pytest.mark.parametrize("path", [*BUNDLED, EXAMPLE], ids=lambda p: p.name)
def test_a_bundled_deck_is_valid(path: Path):
    assert problems(path) == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_bundled_deck_has_at_least_twelve_cards_of_two_or_three_prompts(path: Path):
    deck = load_deck_file(path)
    assert len(deck.cards) >= (10 if deck.slug == FIRST_SESSION else 12)
    for c in deck.cards:
        assert 2 <= len(c.prompts) <= 3, f"{path.name}:{c.id} has {len(c.prompts)} prompts"


def test_the_bundled_decks_have_different_slugs_and_titles():
    decks = [load_deck_file(p) for p in BUNDLED]
    assert len({d.slug for d in decks}) == len({d.title for d in decks}) == len(decks)


def test_the_example_deck_shows_both_kinds_of_card():
    assert {c.kind for c in load_deck_file(EXAMPLE).cards} == {"dilemma", "statement"}


# --- problems, one line each ---------------------------------------------------------------------

def test_an_unknown_key_on_a_card_is_named_with_its_card(write_deck):
    path = write_deck(lambda d: dilemma(d).update(promts=["Een typfout in de sleutel?"]))
    assert problems(path) == [f"{path}:vb-01: promts: Extra inputs are not permitted"]


def test_an_unknown_key_on_the_deck_is_named(write_deck):
    path = write_deck(lambda d: d.update(colour="blauw"))
    assert problems(path) == [f"{path}:-: colour: Extra inputs are not permitted"]


@pytest.mark.parametrize("count", [0, 1, 5])
def test_a_dilemma_needs_two_to_four_options(write_deck, count: int):
    path = write_deck(lambda d: dilemma(d).update(options=[f"Optie nummer {i}" for i in range(count)]))
    assert problems(path) == [f"{path}:vb-01: options: a dilemma needs 2 to 4 options, not {count}"]


def test_a_dilemma_with_two_equal_options_is_refused(write_deck):
    path = write_deck(lambda d: dilemma(d).update(options=["Hetzelfde", "Hetzelfde"]))
    assert problems(path) == [f"{path}:vb-01: options: options must all be different"]


def test_a_statement_with_options_is_refused(write_deck):
    path = write_deck(lambda d: statement(d).update(options=["Eens", "Oneens"]))
    assert problems(path) == [f"{path}:vb-02: options: a statement has no options: players answer on the fixed 5-point scale"]


def test_duplicate_card_ids_are_refused_naming_the_id(write_deck):
    path = write_deck(lambda d: statement(d).update(id="vb-01"))
    assert problems(path) == [f"{path}:vb-01: id: card id 'vb-01' appears more than once"]


@pytest.mark.parametrize("text", ["", "    "], ids=repr)
def test_an_empty_card_text_is_refused(write_deck, text: str):
    path = write_deck(lambda d: dilemma(d).update(text=text))
    assert problems(path) == [f"{path}:vb-01: text: String should have at least 10 characters"]


def test_a_card_without_an_id_is_named_by_its_position(write_deck):
    path = write_deck(lambda d: statement(d).pop("id"))
    assert problems(path) == [f"{path}:card#2: id: Field required"]


def test_every_problem_in_a_deck_is_listed_not_only_the_first(write_deck):
    def break_twice(d: dict) -> None:
        dilemma(d)["kind"] = "raadsel"
        statement(d)["prompts"] = []

    lines = problems(write_deck(break_twice))
    assert len(lines) == 2
    assert lines[0].endswith(":vb-01: kind: Input should be 'dilemma' or 'statement'")
    assert ":vb-02: prompts: " in lines[1]


def test_the_slug_must_equal_the_file_name(write_deck):
    path = write_deck(name="een-ander-deck")
    assert problems(path) == [f"{path}:-: slug: 'voorbeeld' must equal the file name 'een-ander-deck'"]


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path):
    path = tmp_path / "voorbeeld.yml"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("latin-1", errors="replace") + "\nbeschrijving: café".encode("cp1252"))
    assert problems(path) == [f"{path}:-: (file): not UTF-8 text"]


def test_invalid_yaml_is_refused_with_its_line(tmp_path: Path):
    path = tmp_path / "voorbeeld.yml"
    path.write_text("slug: voorbeeld\ntitle: [niet afgesloten\nlanguage: nl\n", encoding="utf-8")
    (line,) = problems(path)
    assert line.startswith(f"{path}:-: (file): not valid YAML at line ")


def test_a_file_of_two_megabytes_is_refused_before_it_is_parsed(tmp_path: Path):
    path = tmp_path / "voorbeeld.yml"
    path.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    assert problems(path) == [f"{path}:-: (file): larger than 1000000 bytes"]


@pytest.mark.parametrize("content", ["", "- a list\n- not a deck\n", "just a sentence\n"], ids=["empty", "list", "scalar"])
def test_a_file_that_is_not_a_mapping_is_refused_as_a_whole(tmp_path: Path, content: str):
    path = tmp_path / "voorbeeld.yml"
    path.write_text(content, encoding="utf-8")
    (line,) = problems(path)
    assert line == f"{path}:-: (file): not a deck: the file must hold slug, title, language, description, themes and cards"


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path):
    path = tmp_path / "bestaat-niet.yml"
    assert problems(path) == [f"{path}:-: (file): cannot read: No such file or directory"]


# --- the command line ----------------------------------------------------------------------------

def validate(*paths: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECRET_KEY": "test-secret"}
    return subprocess.run([str(INZETSPEL), "decks", "validate", *map(str, paths)],
                          capture_output=True, text=True, timeout=60, env=env, check=False)


def test_decks_validate_accepts_good_files_with_exit_code_zero():
    result = validate(*BUNDLED, EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_decks_validate_prints_each_problem_as_a_line_and_exits_one(write_deck, tmp_path: Path):
    bad = write_deck(lambda d: (dilemma(d).update(options=["Alleen deze"]), statement(d).update(options=["Eens", "Oneens"])))
    wrong_name = tmp_path / "anders.yml"
    shutil.copy(EXAMPLE, wrong_name)
    result = validate(EXAMPLE, bad, wrong_name)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{bad}:vb-01: options: a dilemma needs 2 to 4 options, not 1",
        f"{bad}:vb-02: options: a statement has no options: players answer on the fixed 5-point scale",
        f"{wrong_name}:-: slug: 'voorbeeld' must equal the file name 'anders'",
    ]


# --- loading a folder, and the app at start-up ---------------------------------------------------

@pytest.fixture
def decks_dir(tmp_path: Path) -> Path:
    """A DECKS_DIR with one good bundled deck and one broken file."""
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copy(ROOT / "decks" / "mobiliteit-bespreekbaar.yml", folder)
    (folder / "kapot.yml").write_text("slug: kapot\ntitle: Kapot\ncards: [\n", encoding="utf-8")
    return folder


def test_a_broken_deck_in_a_folder_is_skipped_and_logged(decks_dir: Path, caplog):
    with caplog.at_level(logging.ERROR, logger="game.decks"):
        decks = load_deck_dir(decks_dir)
    assert [d.slug for d in decks] == ["mobiliteit-bespreekbaar"]
    assert any("kapot.yml" in r.getMessage() and "not valid YAML" in r.getMessage() for r in caplog.records)


def test_the_app_starts_with_a_broken_deck_and_loads_the_good_one(decks_dir: Path, tmp_path: Path):
    app = make_app(f"sqlite:///{tmp_path / 'fresh.db'}", DECKS_DIR=decks_dir)  # an empty database: no decks yet
    try:
        assert [d["slug"] for d in list_decks(app.extensions["inzetspel.db"])] == ["mobiliteit-bespreekbaar"]
    finally:
        app.extensions["inzetspel.db"].dispose()
