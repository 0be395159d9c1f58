"""A facilitator starts a ready-made session format: the room gets its settings and the dashboard shows its script."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import AxeLog
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e
TABLET = {"width": 810, "height": 1080}
BIG = {"width": 1920, "height": 1080}


def test_a_format_started_from_the_sessions_page_creates_its_room_and_shows_its_script(start_server, tablet):
    server = start_server("gevent")
    axe = AxeLog()
    laptop = tablet(TABLET)
    laptop.goto(server.url)
    expect(laptop).to_have_url(re.compile(r"/setup$"))
    laptop.get_by_label("Gebruikersnaam").fill("begeleider")
    laptop.get_by_label("Wachtwoord", exact=True).fill("een-lang-wachtwoord")
    laptop.get_by_label("Herhaal wachtwoord").fill("een-lang-wachtwoord")
    laptop.get_by_role("button", name="Account aanmaken").click()

    formats = laptop.get_by_test_id("session-formats")
    expect(formats).to_contain_text("MT-sessie: geven wij zelf het voorbeeld?")
    expect(formats).to_contain_text("Plenaire aftrap")
    shot(laptop, "formats-rooms-810")
    axe.check(laptop, "rooms with formats")
    formats.locator('a[data-format="hr-en-leidinggevenden"]').click()

    # The form is filled from the format; the facilitator only presses the button.
    expect(laptop.get_by_test_id("chosen-format")).to_contain_text("HR en leidinggevenden samen")
    expect(laptop.locator("#deck")).to_have_value("mobiliteit-bespreekbaar")
    expect(laptop.locator("#cards")).to_have_value("5")
    expect(laptop.locator("#vote_seconds")).to_have_value("90")
    expect(laptop.locator("#points")).not_to_be_checked()
    expect(laptop.locator("#comfort")).to_be_checked()
    expect(laptop.locator("#roles")).to_have_value("Leidinggevende\nHR\nMT-lid\nOR-lid")
    shot(laptop, "formats-form-810")
    axe.check(laptop, "rooms form filled from a format")
    laptop.get_by_role("button", name="Sessie aanmaken").click()

    # The dashboard: the script of the format, and the room's rules as the format set them.
    script = laptop.get_by_test_id("format-script")
    expect(script).to_contain_text("we noemen nooit een naam")
    expect(script).to_contain_text("gepland gesprek")
    expect(laptop.locator(".room-head")).to_contain_text("HR en leidinggevenden samen aan de slag met eigen casussen")
    laptop.get_by_text("Spelregels en timers van deze sessie").click()
    expect(laptop.locator("#settings-form #vote_seconds")).to_have_value("90")
    expect(laptop.locator("#settings-form #discuss_seconds")).to_have_value("600")
    expect(laptop.locator("#settings-form #points")).not_to_be_checked()
    expect(laptop.locator("#settings-form #pacing")).to_have_value("team")
    expect(laptop.locator("#settings-form #second_vote")).to_be_checked()
    expect(laptop.locator("#settings-form #predictions")).to_be_checked()
    expect(laptop.locator("#settings-form #team_quorum")).to_have_value("3")
    shot(laptop, "formats-dashboard-810")
    axe.check(laptop, "dashboard with a format script")
    laptop.set_viewport_size(BIG)
    shot(laptop, "formats-dashboard-1920")

    # Planning the follow-up: the format's follow-up is chosen for the facilitator.
    laptop.goto(f"{server.url}/rooms")
    laptop.get_by_role("link", name="Vervolgsessie starten").first.click()
    expect(laptop.get_by_test_id("chosen-format")).to_contain_text("Terugkomsessie na de gesprekken")
    expect(laptop.locator("#second_vote")).not_to_be_checked()
    shot(laptop, "formats-follow-up-1920")
    laptop.get_by_role("button", name="Sessie aanmaken").click()
    expect(laptop.get_by_test_id("format-script")).to_contain_text("Welkom terug")

    # And after the return session: the six-month session, again without writing anything.
    laptop.goto(f"{server.url}/rooms")
    laptop.locator(".room-list li", has_text="Terugkomsessie na de gesprekken").get_by_role(
        "link", name="Vervolgsessie starten").click()
    expect(laptop.get_by_test_id("chosen-format")).to_contain_text("Zes maanden later")
    laptop.get_by_role("button", name="Sessie aanmaken").click()
    expect(laptop.get_by_test_id("format-script")).to_contain_text("Zes maanden geleden")
    shot(laptop, "formats-six-months-1920")
    axe.assert_clean()
