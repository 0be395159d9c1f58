"""The forms that choose a card kind list the kinds from their definitions (game/rules/kinds.py) and show
the chosen kind's fields: a player brings in a statement, the facilitator turns it into a dilemma."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.table_helpers import LAPTOP, contexts, join, new_room  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def test_a_brought_in_statement_has_no_options_until_the_facilitator_makes_it_a_dilemma(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url)
    anna = contexts()
    join(anna, server.url, code, "Anna")

    # The tablet's form: a dilemma (the first kind) is chosen and asks for options; a statement does not.
    anna.locator("#own-dilemma > summary").click()
    kinds = anna.locator('#own-dilemma-form input[name="kind"]')
    expect(kinds).to_have_count(2)
    expect(anna.locator('#own-dilemma-form input[name="kind"][value="dilemma"]')).to_be_checked()
    expect(anna.locator("#od-options")).to_be_visible()
    anna.locator("#own-dilemma-form label.choice", has_text="Stelling (eens of oneens)").click()
    expect(anna.locator("#od-options")).to_be_hidden()
    anna.locator("#od-title").fill("Thuiswerken in de regio")
    anna.locator("#od-text").fill("Een regiokantoor is voor elk team een goede werkplek.")
    anna.locator("#own-dilemma-form .button.primary").click()
    expect(anna.locator("#od-done")).to_be_visible()
    expect(anna.locator("#od-options")).to_be_visible()  # the form is reset to its first kind

    # The facilitator sees a statement and can make it a dilemma: its option fields appear.
    laptop.goto(f"{server.url}/rooms/{code}/submissions")
    expect(laptop.locator("main")).to_contain_text("Stelling · ingebracht door Anna")
    laptop.locator('a[href*="/submissions/"]').first.click()
    expect(laptop).to_have_url(re.compile(r"/submissions/\d+$"))
    card = laptop.locator("#review-form .card-form")
    expect(card).to_have_class(re.compile(r"\bkind-statement\b"))
    expect(card.locator(".options-field")).to_be_hidden()
    card.locator(".kind-field label", has_text="Dilemma").click()
    expect(card).to_have_class(re.compile(r"\bkind-dilemma\b"))
    expect(card).not_to_have_class(re.compile(r"\bkind-statement\b"))
    expect(card.locator(".options-field")).to_be_visible()
    expect(card.locator(".scale-note")).to_be_hidden()
