"""Issue 16 in headless Chromium at iPad size (810x1080): seats on a second tablet, the decision screen,
drafts kept on the tablet, and the dashboard's seat controls, labels and PDF progress."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import AxeLog, small_targets
from tests.e2e.table_helpers import (  # noqa: F401  (fixtures)
    LAPTOP, contexts, join, new_room, phase, shot, vote,
)

pytestmark = pytest.mark.e2e


def test_the_same_name_on_a_second_tablet_continues_the_seat_and_the_facilitator_merges_seats(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url)
    old, bas = contexts(), contexts()
    join(old, server.url, code, "Anna")
    join(bas, server.url, code, "Bas", role="Bestuurder / directeur")
    new = contexts()
    new.goto(f"{server.url}/r/{code.replace('-', '')}")
    new.locator("#name").fill("anna")
    new.locator('input[name="role"][value="HR"]').check()
    new.locator("#join-button").click()
    expect(new.locator("#name-taken")).to_contain_text("Ben jij Anna? Ga verder op dit apparaat, of kies een andere naam.")
    shot(new, "table-seat-offer-810")
    axe = AxeLog()
    axe.check(new, "join: is that you?")
    assert small_targets(new) == []
    new.get_by_role("button", name="Ga verder op dit apparaat").click()
    expect(new.locator(".players")).to_contain_text("Anna (jij)")
    expect(new.locator(".players li")).to_have_count(2)  # no second seat
    expect(old.locator("#join-error")).to_have_text(
        "Je speelt verder op een ander apparaat; deze tablet heeft geen plaats meer. Doe opnieuw mee om hier te spelen.")
    shot(old, "table-seat-moved-old-810")
    axe.check(old, "join: seat continued elsewhere")
    # Someone else really called Bas: a seat of their own, which the facilitator then merges.
    other = contexts()
    other.goto(f"{server.url}/r/{code.replace('-', '')}")
    other.locator("#name").fill("Bas")
    other.locator('input[name="role"][value="HR"]').check()
    other.locator("#join-button").click()
    other.get_by_role("button", name="Ik ben iemand anders").click()
    expect(other.locator(".players li")).to_have_count(3)
    card = laptop.locator(".team-card")
    expect(card.locator(".mini-players li")).to_have_count(3)
    # Role names are not cut off on the dashboard.
    role = card.locator(".mini-role", has_text="Bestuurder / directeur")
    expect(role).to_be_visible()
    assert role.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    # Every seat control stays inside the card (they wrap), the last one too.
    outside = card.evaluate("""c => { const right = c.getBoundingClientRect().right;
        return [...c.querySelectorAll('.mini-players select, .mini-players button')].filter((el) => el.getBoundingClientRect().right > right + 1).length; }""")
    assert outside == 0, f"{outside} seat controls run out of the team card"
    shot(laptop, "table-dashboard-seats", full_page=True)
    axe.check(laptop, "dashboard: seat controls")
    axe.assert_clean()
    laptop.once("dialog", lambda dialog: dialog.accept())
    # The newest seat (the second Bas) is merged into the first Bas: one seat left, on every screen.
    card.locator("[data-merge-player]").last.select_option(label="met Bas")
    expect(card.locator(".mini-players li")).to_have_count(2)
    expect(new.locator(".players li")).to_have_count(2)
    expect(new.locator(".players")).to_contain_text("Bas")
    # The facilitator removes a seat: "x van y" counts only the seats left.
    new.locator('[data-act="draw"]').click()
    phase(new, "vote")
    expect(new.get_by_test_id("vote-count")).to_contain_text("0 van 2 aan tafel hebben gestemd.")
    laptop.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Verwijder Bas").first.click()
    expect(card.locator(".mini-players li")).to_have_count(1)
    expect(new.locator(".players li")).to_have_count(1)
    expect(new.get_by_test_id("vote-count")).to_contain_text("0 van 1 aan tafel hebben gestemd.")
    # The removed player's tablet says why it is back at the join form (and the merged-away seat's too).
    for gone in (bas, other):
        expect(gone.locator("#join-error")).to_contain_text("Deze plaats bestaat niet meer")
        expect(gone.locator("#join")).to_be_visible()


def test_the_decision_screen_cues_the_action_keeps_the_owner_message_and_shows_decisions(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url, cards=3)
    anna, bas = contexts(), contexts()
    join(anna, server.url, code, "Anna")
    join(bas, server.url, code, "Bas")
    anna.locator('[data-act="draw"]').click()
    vote(anna, 1)
    vote(bas, 2, prediction=None)  # explicitly without a prediction
    phase(anna, "discuss")
    # A draft argument survives a reload.
    bas.get_by_label("Jouw argument").fill("Eerst de achterstand")
    bas.reload()
    expect(bas.get_by_label("Jouw argument")).to_have_value("Eerst de achterstand")
    anna.get_by_role("button", name="Naar het besluit").click()
    phase(anna, "decide")
    follow_up = anna.get_by_test_id("follow-up")
    expect(follow_up).to_be_visible()
    expect(follow_up).to_contain_text("Vervolgactie (optioneel, levert punten op)")
    anna.locator('.decision-form input[name="position"]').first.check()
    anna.get_by_label("Waarom (één regel)").fill("Eerst de werkdruk oplossen.")
    anna.get_by_label("Wat gaan we doen?").fill("Werkdruk bespreken in het MT")
    anna.get_by_label("Wanneer").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    # Drafts of the decision survive a reload too.
    anna.reload()
    expect(anna.get_by_label("Waarom (één regel)")).to_have_value("Eerst de werkdruk oplossen.")
    expect(anna.get_by_label("Wat gaan we doen?")).to_have_value("Werkdruk bespreken in het MT")
    owner = anna.get_by_label("Wie (rol, functietitel of initialen)")
    owner.fill("Jan de Vries")
    anna.get_by_role("button", name="Besluit vastleggen").click()
    message = anna.get_by_test_id("owner-error")
    expect(message).to_contain_text("nooit iemands volledige naam")
    anna.wait_for_timeout(6000)
    expect(message).to_be_visible()  # kept until the field changes
    shot(anna, "table-decision-owner-810")
    axe = AxeLog()
    axe.check(anna, "play: decision, owner refused")
    assert small_targets(anna) == []
    owner.fill("teamleider")
    expect(message).to_have_count(0)
    anna.get_by_role("button", name="Besluit vastleggen").click()
    decisions = bas.get_by_test_id("decisions-so-far")
    expect(decisions).to_be_visible()  # not folded away
    expect(decisions).to_contain_text("Werkdruk bespreken in het MT · teamleider")
    shot(bas, "table-decisions-so-far-810")
    axe.check(bas, "play: decisions so far")
    axe.assert_clean()


def test_the_dashboard_shows_themes_as_words_and_a_pdf_download_shows_progress(server, contexts):
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url)
    assert code
    coverage = laptop.locator("#coverage li")
    expect(coverage.first).to_be_visible()
    texts = coverage.all_inner_texts()
    assert texts and all(t[0].isupper() and "-" not in t for t in texts), texts
    pdf = laptop.locator('a[href*="format=pdf"]').first
    with laptop.expect_download(timeout=60000) as download:
        pdf.click()
        expect(laptop.locator(".download-progress")).to_contain_text("PDF wordt gemaakt…")
        shot(laptop, "table-pdf-progress")
    assert download.value.suggested_filename.endswith(".pdf")
    expect(laptop.locator(".download-progress")).to_have_text("De PDF is klaar.")


def test_while_the_turn_players_tablet_is_away_the_next_player_takes_the_turn(server, contexts):
    """A sleeping tablet (or one on a dead server process) does not stop the table: the next present player
    is told they take the turn, draws, and the turn is the turn player's again when the tablet is back."""
    laptop = contexts(LAPTOP)
    code = new_room(laptop, server.url)
    anna, bas = contexts(), contexts()
    join(anna, server.url, code, "Anna")
    join(bas, server.url, code, "Bas", role="Leidinggevende")
    expect(bas.locator(".stage")).to_contain_text("Wachten tot Anna de volgende kaart trekt.")
    tablet_of_anna = anna.context
    anna.close()  # Anna's tablet goes to sleep: its connection is gone
    expect(bas.locator(".stage")).to_contain_text("Anna is offline: jij neemt de beurt over.", timeout=15000)
    shot(bas, "table-turn-stand-in-810")
    bas.locator('[data-act="draw"]').click()
    phase(bas, "vote")
    anna = tablet_of_anna.new_page()  # awake again: the same tablet (its seat token) opens the room
    anna.goto(f"{server.url}/r/{code.replace('-', '')}")
    expect(bas.locator(".players li.turn")).to_contain_text("Anna", timeout=15000)
