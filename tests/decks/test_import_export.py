"""Import and export: YAML and CSV round-trip through the database unchanged; a bad upload changes nothing."""
from __future__ import annotations

import os

import pytest
import yaml
from sqlalchemy import func, select

from game import deck_io
from game.decks import DeckError, load_deck_file
from game.play import library
from game.store.models import DeckRecord
from tests.decks.conftest import BUNDLED


def all_versions(db) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(DeckRecord))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_yaml_to_database_to_yaml_gives_the_same_deck(empty_db, path):
    original = load_deck_file(path).model_dump()
    saved = library.import_file(empty_db, path.read_bytes(), path.name, "anna")
    exported = deck_io.to_yaml(library.get_deck(empty_db, saved.slug)["content"], saved.version)
    assert deck_io.from_yaml(exported.encode(), path.name).model_dump() == original
    # Importing the export again is the same deck: no new version, and the same file comes out.
    again = library.import_file(empty_db, exported.encode(), path.name, "anna")
    assert (again.version, again.changed) == (1, False)
    assert deck_io.to_yaml(library.get_deck(empty_db, saved.slug)["content"], 1) == exported


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_csv_to_database_to_csv_gives_the_same_deck(empty_db, path):
    csv_bytes = deck_io.to_csv(load_deck_file(path).model_dump())
    saved = library.import_file(empty_db, csv_bytes, "uit-een-werkblad.csv", "anna",
                                {"title": "Uit een werkblad", "language": "nl", "description": "Geïmporteerd."})
    deck = library.get_deck(empty_db, saved.slug)
    assert (deck["slug"], deck["title"], deck["action"]) == ("uit-een-werkblad", "Uit een werkblad", "import")
    assert deck_io.to_csv(deck["content"]) == csv_bytes
    assert deck["content"]["cards"] == load_deck_file(path).model_dump()["cards"]


def test_a_csv_for_an_existing_own_deck_becomes_its_next_version_and_keeps_its_title(empty_db):
    path = BUNDLED[0]
    library.import_file(empty_db, path.read_bytes(), path.name, "anna")
    content = load_deck_file(path).model_dump()
    content["cards"] = content["cards"][:3]
    saved = library.import_file(empty_db, deck_io.to_csv(content), f"{content['slug']}.csv", "bas")
    deck = library.get_deck(empty_db, content["slug"])
    assert saved.version == 2 and len(deck["content"]["cards"]) == 3 and deck["title"] == content["title"]


def test_a_spreadsheet_csv_with_semicolons_and_a_bom_is_read(empty_db):
    rows = ["id;kind;title;text;option_1;option_2;prompt_1;themes",
            'x-01;dilemma;Een keuze;"Een situatie; met een puntkomma erin.";Ik kies dit;Ik kies dat;Wat zou jij doen?;talent',
            "x-02;statement;Een stelling;Stelling: dit is een stelling.;;;Waarom wel of niet?;talent"]
    raw = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")
    saved = library.import_file(empty_db, raw, "onze-dilemmas.csv", "anna", {"title": "Onze dilemma's", "language": "nl", "description": "Eigen."})
    deck = library.get_deck(empty_db, saved.slug)["content"]
    assert deck["themes"] == ["talent"] and deck["cards"][0]["text"] == "Een situatie; met een puntkomma erin."
    assert deck["cards"][1]["options"] == []


GOOD_HEADER = "id,kind,title,text,option_1,option_2,prompt_1,themes"
GOOD_ROW = "a-01,dilemma,Een goede kop,Een situatie die lang genoeg is.,Optie een,Optie twee,Wat doe jij?,talent"


@pytest.mark.parametrize("name, raw, expected", [
    ("kolommen.csv", "id,soort,title,text,prompt_1\n", ["kolommen.csv:row 1: (columns): unknown column(s) 'soort'", "missing column(s) kind"]),
    ("vijf.csv", GOOD_HEADER + ",option_3,option_4,option_5\n" + GOOD_ROW + ",drie,vier,vijf\n",
     ["vijf.csv:row 1: (columns): unknown column(s) 'option_5' (a dilemma has at most 4 options)"]),
    ("leeg.csv", f"{GOOD_HEADER}\n{GOOD_ROW}\na-02,dilemma,Kop twee,,Ja,Nee,Wat doe jij?,talent\n",
     ["leeg.csv:row 3 (a-02): text: String should have at least 10 characters"]),
    ("een-optie.csv", f"{GOOD_HEADER}\na-01,dilemma,Een goede kop,Een situatie die lang genoeg is.,Alleen deze,,Wat doe jij?,talent\n",
     ["een-optie.csv:row 2 (a-01): options: a dilemma needs 2 to 4 options, not 1"]),
    ("dubbel.csv", f"{GOOD_HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n", ["dubbel.csv:a-01: id: card id 'a-01' appears more than once"]),
    ("latin1.csv", (GOOD_HEADER + "\n" + GOOD_ROW.replace("Een situatie", "Een situatie met café")).encode("latin-1"),
     ["latin1.csv:-: (file): not UTF-8 text"]),
    ("rommel.csv", os.urandom(2_000_000), ["rommel.csv:-: (file): larger than 1000000 bytes"]),
    ("rommel.yml", b"x" * 2_000_000, ["rommel.yml:-: (file): larger than 1000000 bytes"]),
    ("nul.csv", b"id,kind\x00\x01\x02", ["nul.csv:-: (file): not a text file"]),
    ("spel.yml", b"slug: [unclosed", ["spel.yml:-: (file): not valid YAML"]),
    ("spel.txt", b"hello", ["spel.txt:-: (file): not a .yml, .yaml or .csv file"]),
])
def test_a_malformed_upload_is_rejected_with_clear_messages_and_changes_nothing(empty_db, name, raw, expected):
    before = all_versions(empty_db)
    with pytest.raises(DeckError) as exc:
        library.import_file(empty_db, raw.encode() if isinstance(raw, str) else raw, name, "anna",
                            {"title": "Een nieuw spel", "language": "nl", "description": "Test."})
    text = str(exc.value)
    for fragment in expected:
        assert fragment in text
    assert all_versions(empty_db) == before


def test_a_yaml_upload_with_five_options_names_the_card_and_imports_nothing(empty_db):
    data = yaml.safe_load(BUNDLED[0].read_text(encoding="utf-8"))
    first = data["cards"][0]
    first["options"] = ["een", "twee", "drie", "vier", "vijf"]
    data["cards"][2]["text"] = ""
    with pytest.raises(DeckError) as exc:
        library.import_file(empty_db, yaml.safe_dump(data, allow_unicode=True).encode(), "deck.yml", "anna")
    lines = str(exc.value).splitlines()
    assert f"deck.yml:{first['id']}: options: a dilemma needs 2 to 4 options, not 5" in lines
    assert f"deck.yml:{data['cards'][2]['id']}: text: String should have at least 10 characters" in lines
    assert all_versions(empty_db) == 0


def test_a_yaml_upload_of_a_bundled_deck_is_refused(db):
    path = BUNDLED[0]
    changed = path.read_text(encoding="utf-8").replace("title: ", "title: Aangepast ", 1)
    with pytest.raises(Exception) as exc:
        library.import_file(db, changed.encode(), path.name, "anna")
    assert getattr(exc.value, "code", "") == "deck/read_only"


def test_the_yaml_export_is_a_valid_deck_file(tmp_path, empty_db):
    path = BUNDLED[1]
    saved = library.import_file(empty_db, path.read_bytes(), path.name, "anna")
    out = tmp_path / f"{saved.slug}.yml"
    out.write_text(deck_io.to_yaml(library.get_deck(empty_db, saved.slug)["content"], 1), encoding="utf-8")
    assert load_deck_file(out).model_dump() == load_deck_file(path).model_dump()


def test_cells_a_spreadsheet_would_run_as_formulas_are_guarded_and_still_round_trip(empty_db):
    content = load_deck_file(BUNDLED[0]).model_dump()
    card = next(c for c in content["cards"] if c["kind"] == "dilemma")
    card["options"][0] = "=HYPERLINK(\"http://example.org\") is geen optie"
    card["options"][1] = "-1 dag per week minder"
    csv_bytes = deck_io.to_csv(content)
    assert b"'=HYPERLINK(" in csv_bytes and b",'-1 dag" in csv_bytes
    saved = library.import_file(empty_db, csv_bytes, "formules.csv", "anna", {"title": "Formules", "language": "nl", "description": "x"})
    assert library.get_deck(empty_db, saved.slug)["content"]["cards"] == content["cards"]
