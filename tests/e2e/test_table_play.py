"""Issue 16 in headless Chromium at iPad size (810x1080): the ballot as one act, a quorum before the
first card, a vote closed while a tablet was offline, one tie rule. Screenshots in test-artifacts/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import AxeLog, small_targets
from tests.e2e.table_helpers import (  # noqa: F401  (fixtures)
    IPAD, LAPTOP, contexts, focused_id, in_view, join, new_room, phase, shot, vote,
)

pytestmark = pytest.mark.e2e


def test_a_team_waits_for_its_quorum_and_the_facilitator_can_start_a_table(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url, teams="Team 1\nTeam 2")
    anna = contexts()
    join(anna, server.url, code, "Anna", team="Team 1")
    # Alone at the table: no draw button, the tablet says what it waits for.
    expect(anna.get_by_test_id("quorum-wait")).to_have_text("Wachten op je team: 1 van 2 spelers zijn er.")
    expect(anna.locator('[data-act="draw"]')).to_have_count(0)
    shot(anna, "table-quorum-wait-810")
    axe = AxeLog()
    axe.check(anna, "play: waiting for the quorum")
    bas = contexts()
    join(bas, server.url, code, "Bas", team="Team 1")
    expect(anna.locator('[data-act="draw"]')).to_be_visible()
    # Team 2 has one player: the facilitator starts it by hand.
    cem = contexts()
    join(cem, server.url, code, "Cem", team="Team 2")
    expect(cem.get_by_test_id("quorum-wait")).to_be_visible()
    expect(laptop.locator("#start-tables")).to_be_visible()
    shot(laptop, "table-quorum-dashboard")
    laptop.locator("#start-tables").click()
    phase(cem, "vote")
    expect(anna.locator(".phase-pill")).to_have_class(re.compile(r"\bphase-vote\b"))  # Team 1 started too, both seated players vote
    expect(anna.get_by_test_id("vote-count")).to_contain_text("0 van 2 aan tafel hebben gestemd.")
    axe.check(laptop, "dashboard: tables started by hand")
    axe.assert_clean()


def test_the_facilitator_sets_the_minimum_per_team_on_the_dashboard(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url)
    laptop.get_by_text("Spelregels en timers van deze sessie").click()
    quorum = laptop.get_by_label("Spelers aan tafel vóór de eerste kaart")
    expect(quorum).to_have_value("2")  # the default
    quorum.fill("3")
    laptop.locator("#settings-form button").click()
    expect(laptop.locator("#control-status")).to_have_text("Spelregels opgeslagen.")
    anna, bas = contexts(), contexts()
    join(anna, server.url, code, "Anna")
    join(bas, server.url, code, "Bas")
    expect(anna.get_by_test_id("quorum-wait")).to_have_text("Wachten op je team: 2 van 3 spelers zijn er.")
    expect(anna.locator('[data-act="draw"]')).to_have_count(0)
    cem = contexts()
    join(cem, server.url, code, "Cem")
    expect(anna.locator('[data-act="draw"]')).to_be_visible()
    anna.locator('[data-act="draw"]').click()
    expect(cem.get_by_test_id("vote-count")).to_contain_text("0 van 3 aan tafel hebben gestemd.")  # all three vote on card 1


def test_the_last_voter_predicts_too_and_focus_stays_on_the_control(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url)
    anna, bas = contexts(), contexts()
    join(anna, server.url, code, "Anna")
    join(bas, server.url, code, "Bas", role="Leidinggevende")
    anna.locator('[data-act="draw"]').click()
    phase(anna, "vote")
    # Anna picks with the keyboard: the choice waits for her prediction; the question comes into view.
    anna.locator('[data-vote="2"]').focus()
    anna.keyboard.press("Enter")
    expect(anna.locator("#vote-label")).to_contain_text("Je keuze staat klaar")
    assert focused_id(anna) == "vote-2"
    expect(anna.locator("#predict")).to_be_in_viewport()
    assert in_view(anna, "#predict-label"), "the prediction question is in view on a portrait iPad"
    expect(bas.get_by_test_id("vote-count")).to_contain_text("0 van 2")  # nothing sent yet
    shot(anna, "table-vote-picked-810")
    axe = AxeLog()
    axe.check(anna, "play: option chosen, prediction asked")
    assert small_targets(anna) == []
    anna.locator('[data-predict="1"]').focus()
    anna.keyboard.press("Enter")
    expect(anna.locator("#vote-label")).to_contain_text("Je stem is binnen")
    assert focused_id(anna) == "predict-1"
    # Bas is the last voter: his vote does not reveal before he has predicted.
    bas.locator('[data-vote="1"]').click()
    expect(bas.locator("#predict-label")).to_be_in_viewport()
    expect(bas.locator('[data-predict="2"]')).to_be_enabled()
    expect(bas.locator(".phase-pill")).to_have_class(re.compile(r"\bphase-vote\b"))
    bas.locator('[data-predict="2"]').click()
    for page in (anna, bas):
        phase(page, "discuss")
        # Both predictions were recorded (a 1-1 tie on a dilemma: both options are the majority, both right).
        expect(page.locator(".predictions")).to_have_text("2 van 2 voorspelden de meerderheid goed.")
    shot(bas, "table-reveal-both-predicted-810")
    axe.assert_clean()


def test_a_vote_closed_while_a_tablet_was_offline_is_explained_until_tapped_away(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url)
    anna, bas, cem = contexts(), contexts(), contexts()
    for page, name in ((anna, "Anna"), (bas, "Bas"), (cem, "Cem")):
        join(page, server.url, code, name)
    anna.locator('[data-act="draw"]').click()
    phase(cem, "vote")
    cem.context.set_offline(True)
    expect(cem.locator("#conn")).to_have_attribute("data-state", re.compile("offline|reconnecting"))
    vote(cem, 2, prediction=2)
    expect(cem.locator("#outbox")).to_be_visible()
    # The team sees Cem's tablet offline (the server noticed the connection go), and x of y says so.
    expect(anna.locator(".players li", has_text="Cem")).to_contain_text("offline", timeout=40000)
    expect(anna.get_by_test_id("vote-count")).to_contain_text("1 speler is offline; daar wordt niet op gewacht.")
    vote(anna, 1)
    # The facilitator closing it from the dashboard is warned too (and can think again).
    asked: list[str] = []
    laptop.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    laptop.locator("[data-advance]").click()
    expect(laptop.locator("[data-advance]")).to_be_enabled()
    assert asked and "De tablet van Cem is offline: er kan nog een stem onderweg zijn." in asked[0], asked
    phase(anna, "vote")  # dismissed: nothing closed
    # The turn player closing the vote is warned first.
    anna.locator("[data-close-vote]").click()
    expect(anna.get_by_test_id("close-warning")).to_contain_text("De tablet van Cem is offline: er kan nog een stem onderweg zijn.")
    shot(anna, "table-close-warning-810")
    axe = AxeLog()
    axe.check(anna, "play: close warning")
    anna.locator("[data-close-vote]").click()
    phase(anna, "discuss")
    cem.context.set_offline(False)
    notice = cem.get_by_test_id("vote-lost")
    expect(notice).to_contain_text("Je stem op kaart 1 is niet meegeteld: de stemming werd gesloten terwijl deze tablet offline was.",
                                   timeout=20000)
    cem.wait_for_timeout(6000)  # not a five-second toast: it stays until tapped away
    expect(notice).to_be_visible()
    shot(cem, "table-vote-lost-810")
    axe.check(cem, "play: vote lost while offline")
    assert small_targets(cem) == []
    axe.assert_clean()
    cem.locator("[data-dismiss-lost]").click()
    expect(notice).to_have_count(0)


def test_a_statement_tie_counts_both_sides_as_the_majority(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url)
    anna, bas = contexts(), contexts()
    join(anna, server.url, code, "Anna")
    join(bas, server.url, code, "Bas")
    # Card 1 (a dilemma) quickly; card 2 is a statement. Each kind's marks, predictions and stances come
    # from its definition (game/rules/kinds.py via the page config): options A-D, an argument for an option.
    anna.locator('[data-act="draw"]').click()
    phase(anna, "vote")
    expect(anna.locator(".card .kind")).to_have_text("Dilemma")
    expect(anna.locator(".options .num").nth(0)).to_have_text("A")
    expect(anna.locator(".options .num").nth(1)).to_have_text("B")
    expect(anna.locator("#predict-2")).to_have_text("B")
    vote(anna, 1)
    vote(bas, 1)
    phase(anna, "discuss")
    expect(anna.locator("#arg-stance option").nth(0)).to_have_text("Algemeen")
    expect(anna.locator("#arg-stance option").nth(1)).to_have_text(re.compile(r"^Voor: \S"))
    argue(anna, "1", "Dit kost het minst.")
    expect(anna.locator(".arguments .stance")).to_have_text(re.compile(r"^Voor: \S"))
    anna.get_by_role("button", name="Naar het besluit").click()
    anna.locator('.decision-form input[name="position"]').first.check()
    anna.get_by_role("button", name="Besluit vastleggen").click()
    bas.locator('[data-act="draw"]').click()
    phase(anna, "vote")
    expect(anna.locator(".card .kind")).to_have_text("Stelling")
    # A statement: the scale's points 1-5, a prediction names a side, an argument is for or against.
    expect(anna.locator(".options .num")).to_have_text(["1", "2", "3", "4", "5"])
    expect(anna.locator(".predict-options .chip")).to_have_text(["Oneens", "Neutraal", "Eens"])
    vote(anna, 1, prediction=1)    # strongly disagrees, predicts "agree"
    vote(bas, 5, prediction=-1)    # strongly agrees, predicts "disagree"
    for page in (anna, bas):
        phase(page, "discuss")
        # One rule for both kinds: 1-1 between the sides makes both the majority, so both predictions are right.
        expect(page.locator(".predictions")).to_have_text("2 van 2 voorspelden de meerderheid goed.")
    expect(anna.locator("#arg-stance option")).to_have_text(["Algemeen", "Voor de stelling", "Tegen de stelling"])
    argue(anna, "against", "Twee keer per jaar is te vaak.")
    expect(anna.locator(".arguments .stance")).to_have_text("Tegen")
    shot(anna, "table-statement-tie-810")


def argue(page, stance: str, text: str) -> None:
    """Post an argument with a stance from the form's list (its option value)."""
    page.locator("#arg-stance").select_option(stance)
    page.locator("#arg-text").fill(text)
    page.locator('[data-form="argument"] button').click()
    expect(page.locator(".arguments li")).to_contain_text([text])


def test_an_english_room_plays_the_ballot_in_english(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url, deck="talking-about-mobility")
    anna = contexts()
    anna.goto(f"{server.url}/r/{code.replace('-', '')}")
    anna.locator("#name").fill("Anna")
    anna.locator('input[name="role"]').first.check()
    anna.locator("#join-button").click()
    expect(anna.get_by_test_id("quorum-wait")).to_have_text("Waiting for your team: 1 of 2 players are here.")
    bas = contexts()
    bas.goto(f"{server.url}/r/{code.replace('-', '')}")
    bas.locator("#name").fill("Bas")
    bas.locator('input[name="role"]').first.check()
    bas.locator("#join-button").click()
    anna.locator('[data-act="draw"]').click()
    anna.locator('[data-vote="1"]').click()
    expect(anna.locator("#vote-label")).to_have_text("Your choice is ready: now predict your team's majority, and both are sent together.")
    expect(anna.locator("[data-skip-predict]")).to_have_text("Send my vote without a prediction")
    expect(anna.get_by_test_id("vote-count")).to_contain_text("0 of 2 at the table have voted.")
    shot(anna, "table-vote-picked-english-810")
