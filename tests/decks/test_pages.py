"""The deck pages over HTTP: only signed-in facilitators, bundled decks read-only, errors next to the field, nothing invalid saved."""
from __future__ import annotations

import copy
import io
import re

import pytest

from game import deck_io
from game.play import library
from tests.decks.conftest import Browser

BUNDLED_SLUG = "mobiliteit-bespreekbaar"


def editor_data(content: dict, based_on: int | None) -> dict:
    """The fields the editor page posts for this content."""
    data = {"title": content["title"], "language": content["language"], "description": content["description"],
            "themes": ", ".join(content["themes"]), "based_on": "" if based_on is None else str(based_on)}
    for i, card in enumerate(content["cards"]):
        p = f"cards-{i}-"
        data.update({p + "id": card["id"], p + "kind": card["kind"], p + "title": card["title"], p + "text": card["text"],
                     p + "themes": ", ".join(card.get("themes") or [])})
        for j, option in enumerate(card.get("options") or []):
            data[f"{p}options-{j}"] = option
        for j, prompt in enumerate(card["prompts"]):
            data[f"{p}prompts-{j}"] = prompt
    return data


@pytest.fixture
def own(db) -> str:
    return library.duplicate_deck(db, BUNDLED_SLUG, "onze-mobiliteit", "Onze mobiliteit", "begeleider").slug


def save(browser: Browser, slug: str, content: dict, based_on: int | None = 1):  # noqa: ANN201
    return browser.post(f"/decks/{slug}/edit", editor_data(content, based_on), page=f"/decks/{slug}/edit")


@pytest.mark.parametrize("method, url", [
    ("get", "/decks"), ("get", f"/decks/{BUNDLED_SLUG}"), ("get", "/decks/onze-mobiliteit/edit"), ("get", "/decks/new"),
    ("post", "/decks/onze-mobiliteit/edit"), ("post", "/decks/import"), ("post", f"/decks/{BUNDLED_SLUG}/duplicate"),
    ("get", f"/decks/{BUNDLED_SLUG}/export.csv"),
])
def test_only_a_signed_in_facilitator_reaches_the_deck_pages(anonymous, own, method, url):
    response = getattr(anonymous.client, method)(url)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "/login" in response.location


def test_the_library_shows_own_and_bundled_decks_with_their_facts(browser, own):
    html = browser.get("/decks").get_data(as_text=True)
    assert "Eigen spellen" in html and "Meegeleverd" in html
    assert "Onze mobiliteit" in html and "14 kaarten" in html and "alleen-lezen" in html and "door begeleider" in html
    assert 'href="/decks/onze-mobiliteit/edit"' in html and f'href="/decks/{BUNDLED_SLUG}/edit"' not in html


def test_a_bundled_deck_opens_read_only_and_a_post_to_its_editor_changes_nothing(browser, db):
    response = browser.get(f"/decks/{BUNDLED_SLUG}/edit")
    assert response.status_code == 302 and response.location.endswith(f"/decks/{BUNDLED_SLUG}")
    content = library.get_deck(db, BUNDLED_SLUG)["content"]
    token = browser.token("/decks")
    browser.client.post(f"/decks/{BUNDLED_SLUG}/edit", data={**editor_data({**content, "title": "Gekaapt"}, 1), "csrf_token": token})
    assert library.get_deck(db, BUNDLED_SLUG)["title"] == content["title"]
    assert library.deck_versions(db, BUNDLED_SLUG)[0]["version"] == 1


def test_duplicating_opens_the_editor_on_an_own_copy(browser, db):
    response = browser.post(f"/decks/{BUNDLED_SLUG}/duplicate", {}, page="/decks")
    assert response.status_code == 302 and response.location.endswith("/decks/mobiliteit-bespreekbaar-maken-kopie/edit")
    html = browser.get(response.location).get_data(as_text=True)
    assert 'value="Mobiliteit bespreekbaar maken (kopie)"' in html and "Opslaan als versie 2" in html


def test_the_editor_saves_a_reordered_deck_with_a_new_card_as_version_2(browser, db, own):
    content = copy.deepcopy(library.get_deck(db, own)["content"])
    content["cards"] = [content["cards"][1], content["cards"][0], *content["cards"][2:]]
    content["cards"].append({"id": "mb-16", "kind": "statement", "title": "Een nieuwe stelling",
                             "text": "Stelling: iedereen hoort elk jaar een loopbaangesprek te voeren.",
                             "prompts": ["Wat houdt ons tegen?"], "themes": ["gesprek-op-tijd"]})
    response = save(browser, own, content)
    assert response.status_code == 302
    saved = library.get_deck(db, own)
    assert saved["version"] == 2 and len(saved["content"]["cards"]) == 15
    assert [c["id"] for c in saved["content"]["cards"]][:2] == ["mb-02", "mb-01"]
    assert saved["content"]["cards"][-1]["options"] == [] and saved["content"]["cards"][-1]["title"] == "Een nieuwe stelling"
    assert "Opgeslagen als versie 2." in browser.get(response.location).get_data(as_text=True)


def test_a_statement_in_the_editor_drops_the_options_left_in_hidden_fields(browser, db, own):
    content = copy.deepcopy(library.get_deck(db, own)["content"])
    content["cards"][0]["kind"] = "statement"  # the dilemma's options are still in the (hidden) inputs
    assert save(browser, own, content).status_code == 302
    assert library.get_deck(db, own)["content"]["cards"][0]["options"] == []


def test_editor_errors_appear_next_to_the_field_in_dutch_and_nothing_is_saved(browser, db, own):
    content = copy.deepcopy(library.get_deck(db, own)["content"])
    content["title"] = "X"
    content["cards"][0]["options"] = ["Alleen deze"]
    content["cards"][2]["text"] = "Te kort"
    content["cards"][3]["id"] = "Geen Code!"
    response = save(browser, own, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "4 problemen gevonden; er is niets opgeslagen." in html
    title_field = html[html.index('id="deck-title"'):][:400]
    assert "Minstens 3 tekens." in title_field
    assert "Een dilemma heeft 2 tot 4 opties, niet 1." in html
    text_field = html[html.index('id="c2-text"'):][:1200]
    assert "Minstens 10 tekens." in text_field
    assert "Alleen kleine letters, cijfers en losse koppeltekens" in html[html.index('id="c3-id"'):][:800]
    assert 'value="Geen Code!"' in html  # what was typed stays
    assert library.get_deck(db, own)["version"] == 1


def test_the_editor_speaks_the_sites_language_not_the_decks(browser, db, own):
    """An English deck is edited in Dutch by default, and in English after the switch (docs/i18n.md)."""
    content = copy.deepcopy(library.get_deck(db, own)["content"])
    content["language"] = "en"
    assert save(browser, own, content).status_code == 302
    page = browser.get(f"/decks/{own}/edit").get_data(as_text=True)
    assert "Opslaan als versie 3" in page and "Gespreksvragen" in page
    assert browser.post("/language", {"locale": "en", "next": f"/decks/{own}/edit"}, page=f"/decks/{own}/edit").status_code == 303
    page = browser.get(f"/decks/{own}/edit").get_data(as_text=True)
    assert "Save as version 3" in page and "Discussion questions" in page
    content["cards"][0]["title"] = "No"
    html = save(browser, own, content, based_on=2).get_data(as_text=True)
    assert "String should have at least 3 characters" in html and "Minstens" not in html


def test_a_save_on_top_of_someone_elses_newer_version_is_refused_and_keeps_the_typing(browser, db, own):
    content = library.get_deck(db, own)["content"]
    library.save_version(db, own, {**content, "title": "Door een collega"}, "collega")
    html = save(browser, own, {**content, "title": "Mijn titel"}, based_on=1).get_data(as_text=True)
    assert "Intussen heeft iemand anders een nieuwe versie opgeslagen" in html and 'value="Mijn titel"' in html
    assert library.get_deck(db, own)["title"] == "Door een collega"


def test_a_post_without_the_csrf_token_is_refused(browser, db, own):
    content = library.get_deck(db, own)["content"]
    response = browser.client.post(f"/decks/{own}/edit", data=editor_data({**content, "title": "Zonder token"}, 1))
    assert response.status_code == 400 and library.get_deck(db, own)["version"] == 1


def test_a_new_deck_is_created_from_the_empty_editor(browser, db):
    content = {"title": "Ons eigen spel", "language": "nl", "description": "Eigen dilemma's.", "themes": ["talent"],
               "cards": [{"id": "oe-01", "kind": "statement", "title": "Talent eerst", "text": "Stelling: talent telt zwaarder dan diploma's.",
                          "prompts": ["Waar zie je dat bij ons?"]}]}
    response = browser.post("/decks/new", editor_data(content, None), page="/decks/new")
    assert response.status_code == 302 and response.location.endswith("/decks/ons-eigen-spel")
    deck = library.get_deck(db, "ons-eigen-spel")
    assert (deck["version"], deck["action"], deck["author"]) == (1, "new", "begeleider")


def test_restore_from_the_deck_page(browser, db, own):
    content = library.get_deck(db, own)["content"]
    library.save_version(db, own, {**content, "title": "Tweede titel"}, "begeleider")
    response = browser.post(f"/decks/{own}/versions/1/restore", {}, page=f"/decks/{own}")
    assert response.status_code == 302
    html = browser.get(f"/decks/{own}").get_data(as_text=True)
    assert "Versie 1 is teruggezet als versie 3." in html and "versie 1 teruggezet door begeleider" in html
    assert library.get_deck(db, own)["title"] == "Onze mobiliteit"


def test_export_downloads_yaml_and_csv_named_after_the_deck(browser, db, own):
    yml = browser.get(f"/decks/{own}/export.yml")
    assert yml.headers["Content-Disposition"] == 'attachment; filename="onze-mobiliteit.yml"'
    assert deck_io.from_yaml(yml.data, "x.yml").model_dump() == library.get_deck(db, own)["content"]
    csv_ = browser.get(f"/decks/{own}/export.csv?version=1")
    assert csv_.mimetype == "text/csv" and csv_.data == deck_io.to_csv(library.get_deck(db, own)["content"])
    assert browser.get(f"/decks/{own}/export.pdf").status_code == 404


def upload(browser: Browser, name: str, raw: bytes, **fields):  # noqa: ANN003, ANN201
    return browser.post("/decks/import", {"file": (io.BytesIO(raw), name), "language": "nl", **fields},
                        page="/decks", content_type="multipart/form-data")


def test_an_upload_creates_a_deck_and_a_second_one_a_new_version(browser, db, own):
    content = library.get_deck(db, own)["content"]
    response = upload(browser, "werkblad.csv", deck_io.to_csv(content), title="Uit het werkblad")
    assert response.status_code == 302 and response.location.endswith("/decks/werkblad")
    assert library.get_deck(db, "werkblad")["title"] == "Uit het werkblad"
    smaller = {**content, "cards": content["cards"][:2]}
    assert upload(browser, "werkblad.csv", deck_io.to_csv(smaller)).status_code == 302
    assert len(library.get_deck(db, "werkblad")["content"]["cards"]) == 2


def test_a_bad_upload_lists_every_problem_as_file_row_field_message_in_dutch_and_imports_nothing(browser, db):
    raw = ("id,kind,title,text,option_1,option_2,prompt_1,themes\n"
           "a-01,dilemma,Ko,Een situatie die lang genoeg is.,Ja,Ja,Wat doe jij?,talent\n"
           "a-02,statement,Een stelling,,,,Wat?,talent\n").encode()
    before = len(library.library(db))
    response = upload(browser, "fout.csv", raw)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Niets geïmporteerd: &#39;fout.csv&#39; heeft 4 problemen." in html
    assert "fout.csv:rij 2 (a-01): title: Minstens 3 tekens." in html
    assert "fout.csv:rij 2 (a-01): options: De opties moeten allemaal verschillen." in html  # no longer hidden by the title
    assert "fout.csv:rij 3 (a-02): text: Minstens 10 tekens." in html
    assert "fout.csv:rij 3 (a-02): prompt_1: Minstens 5 tekens." in html
    assert len(library.library(db)) == before


def test_an_upload_of_two_megabytes_of_garbage_is_refused_clearly(browser, db):
    before = len(library.library(db))
    html = upload(browser, "rommel.csv", b"\xff" * 2_000_000).get_data(as_text=True)
    assert "rommel.csv:-: (file): Groter dan 1000000 bytes." in html
    assert len(library.library(db)) == before


def test_a_request_above_the_limit_is_refused_before_it_is_read(browser, db):
    response = upload(browser, "enorm.csv", b"x" * 4_000_000)
    assert response.status_code == 302
    assert "Het bestand is te groot" in browser.get("/decks").get_data(as_text=True)


def test_an_upload_without_a_file_asks_for_one(browser):
    html = browser.post("/decks/import", {"language": "nl"}, page="/decks").get_data(as_text=True)
    assert "Kies een bestand" in html


def test_the_nav_links_to_the_library(browser):
    assert re.search(r'<a href="/decks">Kaartspellen</a>', browser.get("/rooms").get_data(as_text=True))
