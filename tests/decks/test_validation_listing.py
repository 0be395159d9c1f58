"""Deck validation lists every problem of a file in one run, each at its field, and the upload page shows
the same list in one language."""
from __future__ import annotations

import html
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from game.decks import DeckError, load_deck_file
from game.play import library
from tests.conftest import ROOT
from tests.decks.conftest import Browser

EXAMPLE = ROOT / "docs" / "examples" / "voorbeeld.yml"
INZETSPEL = ROOT / ".venv" / "bin" / "inzetspel"
# Words that only an English message has: a Dutch page that shows one of these mixes languages.
ENGLISH = ("should", "must", "appears", "not valid", "options", "line ", "characters", "Field required", "Input")


def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def broken_four_ways(data: dict) -> dict:
    """A title too short on card 1, a dilemma with one option on card 1, card 2 with card 1's id; the slug is
    checked against the file name by the caller."""
    first, second = data["cards"][0], data["cards"][1]
    first["title"] = "Ko"
    first["options"] = first["options"][:1] if first["kind"] == "dilemma" else ["Alleen deze"]
    second["id"] = first["id"]
    return data


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DeckError) as exc:
        load_deck_file(path)
    return [str(p) for p in exc.value.problems]


def test_every_problem_of_a_file_is_listed_at_its_field_even_when_other_fields_fail(tmp_path: Path):
    data = broken_four_ways(example())
    path = tmp_path / "een-andere-naam.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    card = data["cards"][0]["id"]
    assert problems_of(path) == [
        f"{path}:-: slug: '{data['slug']}' must equal the file name 'een-andere-naam'",
        f"{path}:{card}: title: String should have at least 3 characters",
        f"{path}:{card}: options: a dilemma needs 2 to 4 options, not 1",
        f"{path}:{card}: id: card id '{card}' appears more than once",
    ]


def test_no_problem_is_placed_at_the_deck_or_the_card_as_a_whole(tmp_path: Path):
    data = broken_four_ways(example())
    data["cards"].append({**data["cards"][1], "id": "vb-99", "kind": "statement", "options": ["Eens", "Oneens"]})
    path = tmp_path / "voorbeeld.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    lines = problems_of(path)
    assert len(lines) == 4
    assert not [line for line in lines if "(deck)" in line or "(card)" in line], lines


@pytest.mark.parametrize(("text", "message"), [
    ('"Rood \\e[31m alarm"', "Remove the invisible control characters"),          # ANSI escape, written as a YAML escape
    ('"Een titel \\0 met NUL"', "Remove the invisible control characters"),
    ("Factuur \u202egnp.exe", "Remove the invisible control characters"),          # right-to-left override
    ('"\\u200b\\u200b\\u200b\\u200b"', "This text shows nothing"),
], ids=["ansi", "nul", "rlo", "zero-width"])
def test_a_card_title_with_control_or_invisible_characters_is_a_problem_at_the_title(tmp_path: Path, text: str, message: str):
    raw = EXAMPLE.read_text(encoding="utf-8")
    data = example()
    title = data["cards"][0]["title"]
    assert raw.count(f'title: "{title}"\n') == 1
    path = tmp_path / "voorbeeld.yml"
    path.write_text(raw.replace(f'title: "{title}"\n', f"title: {text}\n"), encoding="utf-8")
    (line,) = problems_of(path)
    assert line.startswith(f"{path}:{data['cards'][0]['id']}: title: {message}")


def test_decks_validate_prints_every_problem_of_every_file_and_exits_one(tmp_path: Path):
    bad = tmp_path / "een-andere-naam.yml"
    bad.write_text(yaml.safe_dump(broken_four_ways(example()), allow_unicode=True), encoding="utf-8")
    also = tmp_path / "voorbeeld.yml"
    data = example()
    data["cards"][1]["text"] = "Kort"
    data["cards"][1]["prompts"] = []
    also.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = subprocess.run([str(INZETSPEL), "decks", "validate", str(bad), str(also)], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "SECRET_KEY": "test-secret"}, check=False)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 6, lines
    assert all(line.startswith((f"{bad}:", f"{also}:")) and line.count(": ") >= 2 for line in lines)
    assert [line.split(": ")[1] for line in lines if line.startswith(f"{also}:")] == ["text", "prompts"]
    assert "Traceback" not in result.stderr


def test_a_card_id_that_could_garble_a_terminal_is_named_by_its_position(tmp_path: Path):
    data = example()
    data["cards"][1]["id"] = "\x1b[2J"
    path = tmp_path / "voorbeeld.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (line,) = problems_of(path)
    assert line.startswith(f"{path}:card#2: id: ") and "\x1b" not in line


# --- the upload page -------------------------------------------------------------------------------

def upload(browser: Browser, name: str, raw: bytes, language: str = "nl"):  # noqa: ANN201
    if language != "nl":
        browser.post("/language", {"locale": language, "next": "/decks"}, page="/decks")
    return browser.post("/decks/import", {"file": (io.BytesIO(raw), name), "language": "nl"},
                        page="/decks", content_type="multipart/form-data")


def shown_problems(page: str, name: str) -> list[str]:
    """The problem lines of the import panel (each in a <code>)."""
    return [html.unescape(p) for p in re.findall(r"<li><code>(.*?)</code></li>", page) if html.unescape(p).startswith(f"{name}:")]


def test_the_upload_page_lists_the_same_problems_as_the_command_line_in_dutch_only(browser, db):
    raw = yaml.safe_dump(broken_four_ways(example()), allow_unicode=True).encode()
    before = len(library.library(db))
    response = upload(browser, "voorbeeld.yml", raw)
    assert response.status_code == 422
    lines = shown_problems(response.get_data(as_text=True), "voorbeeld.yml")
    card = example()["cards"][0]["id"]
    assert lines == [f"voorbeeld.yml:{card}: title: Minstens 3 tekens.",
                     f"voorbeeld.yml:{card}: options: Een dilemma heeft 2 tot 4 opties, niet 1.",
                     f"voorbeeld.yml:{card}: id: Kaartcode '{card}' komt meer dan eens voor."]
    assert not [line for line in lines for word in ENGLISH if word in line.split(": ", 2)[2]]
    assert len(library.library(db)) == before


def test_the_upload_page_lists_the_problems_in_english_on_an_english_page(browser, db):
    raw = yaml.safe_dump(broken_four_ways(example()), allow_unicode=True).encode()
    lines = shown_problems(upload(browser, "voorbeeld.yml", raw, language="en").get_data(as_text=True), "voorbeeld.yml")
    card = example()["cards"][0]["id"]
    assert lines[-1] == f"voorbeeld.yml:{card}: id: Card id '{card}' appears more than once"
    assert len(lines) == 3


@pytest.mark.parametrize(("raw", "dutch"), [
    ("slug: voorbeeld\ntitle: [niet afgesloten\nlanguage: nl\n".encode(),
     "voorbeeld.yml:-: (file): Geen geldige YAML in regel 3: controleer de inspringing, dubbele punten en aanhalingstekens."),
    ("title: Café\n".encode("cp1252"), "voorbeeld.yml:-: (file): Geen UTF-8-tekst: sla het bestand op met de tekenset UTF-8."),
    (b"- een lijst\n- geen spel\n",
     "voorbeeld.yml:-: (file): Geen kaartspel: het bestand moet slug, title, language, description, themes en cards bevatten."),
    ("title: \"Rood \\e[31m\"\n".encode(), None),
], ids=["yaml", "latin-1", "a-list", "ansi"])
def test_a_broken_yaml_upload_is_explained_in_dutch_without_english_or_spreadsheet_advice(browser, raw: bytes, dutch: str | None):
    lines = shown_problems(upload(browser, "voorbeeld.yml", raw).get_data(as_text=True), "voorbeeld.yml")
    assert lines, "no problem shown"
    if dutch is not None:
        assert lines == [dutch]
    for line in lines:
        message = line.split(": ", 2)[2]
        assert "werkblad" not in message and not [w for w in ENGLISH if w in message], line


# --- the editor ------------------------------------------------------------------------------------

def test_the_editor_shows_a_duplicate_id_and_bad_text_next_to_their_fields_even_when_a_title_fails(browser, db):
    from tests.decks.test_pages import editor_data

    slug = library.duplicate_deck(db, "mobiliteit-bespreekbaar", "onze-mobiliteit", "Onze mobiliteit", "begeleider").slug
    content = library.get_deck(db, slug)["content"]
    cards = content["cards"]
    cards[0]["title"] = "Ko"
    cards[1]["id"] = cards[0]["id"]
    cards[2]["text"] = "Een situatie \x1b[31m in rood"
    dilemma = next(c for c in cards[3:] if c["kind"] == "dilemma")
    dilemma["options"] = ["\u200b\u200b", *dilemma["options"][1:]]
    response = browser.post(f"/decks/{slug}/edit", editor_data(content, 1), page=f"/decks/{slug}/edit")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Minstens 3 tekens." in page
    assert f"Kaartcode '{cards[0]['id']}' komt meer dan eens voor." in page
    assert "Haal de onzichtbare stuurtekens weg" in page
    assert "Deze tekst toont niets" in page
    assert library.get_deck(db, slug)["version"] == 1
