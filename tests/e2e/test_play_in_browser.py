"""Two tablets and a facilitator laptop play a round in headless Chromium."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


def join(page, url: str, code: str, name: str, role: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Code van de sessie").fill(code.lower())
    page.get_by_role("button", name="Meedoen").click()
    page.get_by_label("Jouw naam in het spel").fill(name)
    page.get_by_text(role, exact=True).click()
    shot(page, f"00-join-{name.lower()}")
    page.get_by_role("button", name="Meedoen").click()
    expect(page.locator(".game-head h1")).to_have_text("Team 1")


def test_facilitator_sets_up_hosts_and_two_tablets_play_a_round(start_server, tablet):
    server = start_server("gevent")
    laptop = tablet({"width": 1280, "height": 800})

    # First run: the site asks for the first facilitator account, then the room form.
    laptop.goto(server.url)
    expect(laptop).to_have_url(re.compile(r"/setup$"))
    laptop.get_by_label("Gebruikersnaam").fill("begeleider")
    laptop.get_by_label("Wachtwoord", exact=True).fill("een-lang-wachtwoord")
    laptop.get_by_label("Herhaal wachtwoord").fill("een-lang-wachtwoord")
    laptop.get_by_role("button", name="Account aanmaken").click()
    laptop.get_by_label("Kaartspel").select_option("dilemmas-korte-termijn")
    laptop.get_by_label("Aantal kaarten (leeg = alle)").fill("2")
    laptop.get_by_label("Teams (één naam per regel, 1 tot 20)").fill("Team 1")
    laptop.get_by_label("Kaarten schudden").uncheck()
    laptop.get_by_role("button", name="Sessie aanmaken").click()
    code = laptop.get_by_test_id("join-code").inner_text().strip()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)

    anna, bas = tablet(), tablet()
    join(anna, server.url, code, "Anna", "HR")
    shot(anna, "01-joined")
    join(bas, server.url, code, "Bas", "Leidinggevende")
    expect(laptop.locator(".team-card")).to_contain_text("Bas")

    # Draw: only the turn player (the first to join) sees the button.
    expect(bas.get_by_text("Wachten tot Anna de volgende kaart trekt")).to_be_visible()
    anna.get_by_role("button", name="Trek de volgende kaart").click()
    expect(bas.locator(".phase-pill")).to_have_text("Stem nu")

    # Vote privately: Bas sees that Anna voted, not what.
    anna.locator("[data-vote]").first.click()
    anna.locator("[data-predict]").first.click()  # the vote and the prediction are one act (issue 16)
    expect(bas.locator(".players")).to_contain_text("✓ gestemd")
    expect(bas.locator(".distribution")).to_have_count(0)
    shot(anna, "02-vote")
    bas.locator("[data-vote]").nth(1).click()
    bas.locator("[data-predict]").first.click()

    # Reveal on both tablets at once, then discuss.
    for page in (anna, bas):
        expect(page.locator(".phase-pill")).to_have_text("Bespreek")
        expect(page.locator(".distribution")).to_be_visible()
    bas.get_by_label("Jouw argument").fill("Zonder vervanging loopt het team vast.")
    bas.get_by_role("button", name="Plaatsen").click()
    expect(anna.locator(".arguments")).to_contain_text("Zonder vervanging loopt het team vast.")
    shot(anna, "03-discuss")

    # Decide, with a follow-up action owned by a role.
    anna.get_by_role("button", name="Naar het besluit").click()
    expect(bas.get_by_text("Anna legt het besluit van het team vast")).to_be_visible()
    anna.locator('.decision-form input[name="position"]').first.check()
    anna.get_by_label("Waarom (één regel)").fill("Eerst de werkdruk oplossen.")
    anna.get_by_label("Wat gaan we doen?").fill("Werkdruk bespreken in het MT")
    anna.get_by_label("Wie (rol, functietitel of initialen)").fill("MT-lid")
    anna.get_by_label("Wanneer").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    shot(anna, "04-decide")
    anna.get_by_role("button", name="Besluit vastleggen").click()

    # The turn passes to Bas for the next card.
    expect(bas.get_by_role("button", name="Trek de volgende kaart")).to_be_visible()
    expect(anna.get_by_text("Wachten tot Bas de volgende kaart trekt")).to_be_visible()
    expect(laptop.locator(".team-card")).to_contain_text("1 besloten")

    # A reload brings the player back to the same seat without typing anything.
    bas.reload()
    expect(bas.get_by_role("button", name="Trek de volgende kaart")).to_be_visible()
    shot(laptop, "05-dashboard")

    # A server restart: the tablet says so honestly, then comes back to the same seat by itself.
    server.kill()
    expect(bas.locator("#conn")).not_to_have_attribute("data-state", "online")
    server.start()
    expect(bas.locator("#conn")).to_have_attribute("data-state", "online", timeout=20000)
    bas.get_by_role("button", name="Trek de volgende kaart").click()
    expect(anna.locator(".phase-pill")).to_have_text("Stem nu", timeout=20000)
