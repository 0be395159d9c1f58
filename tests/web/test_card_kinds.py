"""A card kind is one definition (game/rules/kinds.py): the pages and their scripts ask it, none tests a kind by name."""
from __future__ import annotations

import json
import re

import pytest

from game.play import rooms
from game.play.accounts import create_facilitator
from game.rules.kinds import NAMES, kind_of, page_config, takes_options
from tests.conftest import ROOT

# Comparing a kind with a kind's name (`kind === "dilemma"`, `{% if row.kind == "statement" %}`,
# `"statement" !== k`), listing the kinds by hand (`('dilemma', 'statement')`), or marking a choice by
# hand (`String.fromCharCode(64 + v)`, `"ABCD"[i]`): the definitions say all of that.
KIND = r"""["'](?:dilemma|statement)["']"""
BY_NAME = re.compile(rf"""(?:[!=]==?|\bis(?:\s+not)?|\bin)\s*\(?\s*{KIND}|{KIND}\s*(?:[!=]==?|\bin\b)|{KIND}\s*,\s*{KIND}""")
MARKED_BY_HAND = re.compile(r"""fromCharCode\(\s*6[45]|["']ABCD["']\s*\[""")
SOURCES = ("static/js/*.js", "templates/**/*.html", "game/web/*.py")
# Deliberate exceptions, by path and line text. The definitions (game/rules/kinds.py) and the rules
# beneath them are not scanned: naming the kinds is their job.
EXCEPTIONS: dict[str, tuple[str, ...]] = {
    # The option inputs of a dilemma's own form: the letters of the options being written.
    "templates/decks/_card_form.html": ('"ABCD"[loop.index0]',),
}


def offending_lines() -> list[str]:
    found = []
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            relative = path.relative_to(ROOT).as_posix()
            allowed = EXCEPTIONS.get(relative, ())
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if (BY_NAME.search(line) or MARKED_BY_HAND.search(line)) and not any(a in line for a in allowed):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


@pytest.mark.parametrize("line", [
    'const mark = (v) => (t.card.kind === "dilemma" ? String.fromCharCode(64 + v) : String(v));',
    "options: kind() === 'statement' ? [] : list,",
    '{% if row.kind == "statement" %}{{ t["side_" ~ v.value] }}{% endif %}',
    "{% for value in ('dilemma', 'statement') %}",
    '"options": [] if kind == "statement" else options,',
    '<span class="num">${kind === k ? "ABCD"[i] : i + 1}</span>',
])
def test_the_scan_recognises_a_kind_tested_by_name(line: str):
    assert BY_NAME.search(line) or MARKED_BY_HAND.search(line)


@pytest.mark.parametrize("line", [
    'card.classList.toggle(`kind-${name}`, name === kind);',
    '<article class="card card-${c.kind}"><span class="kind">${esc(KINDS.label(c))}</span>',
    "/* the card form switches between dilemma and statement fields */",
])
def test_the_scan_lets_a_kind_asked_of_its_definition_pass(line: str):
    assert not BY_NAME.search(line) and not MARKED_BY_HAND.search(line)


def test_no_script_template_or_web_module_tests_a_card_kind_by_its_name():
    assert offending_lines() == []


def test_every_page_script_that_asks_the_kinds_gets_them_in_its_page_config():
    for name in ("play.html", "screen.html", "dashboard.html", "decks/editor.html"):
        page = (ROOT / "templates" / name).read_text(encoding="utf-8")
        assert '"kinds": kinds_config()' in page and "filename='js/kinds.js'" in page, name


def test_the_page_config_says_how_each_kind_marks_predicts_and_argues():
    config = page_config()
    assert list(config) == list(NAMES) == ["dilemma", "statement"]
    dilemma, statement = config["dilemma"], config["statement"]
    assert dilemma["marks"] == ["A", "B", "C", "D"] and statement["marks"] == ["1", "2", "3", "4", "5"]
    assert dilemma["written_options"] and not statement["written_options"]
    assert dilemma["camps"] is None and dilemma["stances"] is None and dilemma["option_stance"] == "For: %(option)s"
    assert [(c["value"], c["label"]) for c in statement["camps"]] == [(-1, "Disagree"), (0, "Neutral"), (1, "Agree")]
    assert [(s["value"], s["label"], s["choice"]) for s in statement["stances"]] == [
        ("for", "For", "For the statement"), ("against", "Against", "Against the statement")]
    assert json.loads(json.dumps(config)) == config  # plain data, as the page config carries it


def test_a_camp_is_marked_by_its_option_letter_or_named_as_a_side():
    sides = {-1: "oneens", 0: "neutraal", 1: "eens"}
    assert [kind_of("dilemma").camp_mark(v, sides) for v in (1, 2, 4)] == ["A", "B", "D"]
    assert [kind_of("statement").camp_mark(v, sides) for v in (-1, 0, 1)] == ["oneens", "neutraal", "eens"]


def test_a_posted_statement_drops_its_options_and_an_unknown_kind_keeps_them_for_the_schema():
    assert takes_options("dilemma") and not takes_options("statement") and takes_options("puzzle")


@pytest.fixture
def room_code(db) -> str:
    owner = create_facilitator(db, "begeleider", "een-lang-wachtwoord")
    spec = rooms.RoomSpec(deck_slug="mobiliteit-bespreekbaar", team_names=("Rood",), cards=2, roles=("HR",))
    return rooms.create_room(db, owner, spec)


def page_config_of(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="inzet-config">(.*?)</script>', html, re.S)
    assert match, "no page config"
    return json.loads(match.group(1))


@pytest.mark.parametrize(("language", "words"), [
    ("nl", {"statement": "Stelling", "sides": ["Oneens", "Neutraal", "Eens"], "stance": "Voor: %(option)s",
            "forms": ["Dilemma met 2 tot 4 opties", "Stelling (eens of oneens)"]}),
    ("en", {"statement": "Statement", "sides": ["Disagree", "Neutral", "Agree"], "stance": "For: %(option)s",
            "forms": ["Dilemma with 2 to 4 options", "Statement (agree or disagree)"]}),
])
def test_the_tablet_gets_the_kinds_in_its_language(app, room_code: str, language: str, words: dict):
    client = app.test_client()
    with client.session_transaction() as session:
        session["locale"] = language
    html = client.get(f"/r/{room_code}").get_data(as_text=True)
    kinds = page_config_of(html)["kinds"]
    assert kinds["statement"]["label"] == words["statement"]
    assert [c["label"] for c in kinds["statement"]["camps"]] == words["sides"]
    assert kinds["dilemma"]["option_stance"] == words["stance"]
    # The own-dilemma form offers the kinds from their definitions, the first one chosen.
    offered = re.findall(r'<input type="radio" name="kind" value="(\w+)" ?(checked)?\s+data-written-options="(\w+)"> <span>([^<]+)</span>', html)
    assert offered == [("dilemma", "checked", "true", words["forms"][0]), ("statement", "", "false", words["forms"][1])]


def test_kinds_js_is_served_with_a_content_hash(app, room_code: str):
    html = app.test_client().get(f"/r/{room_code}").get_data(as_text=True)
    assert re.search(r'src="/static/js/kinds\.js\?v=[0-9a-f]{12}"', html)
