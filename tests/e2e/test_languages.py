"""Languages in a real browser: an English room's tablet plays in English, the scripts included, and
the header's switch turns the same tablet Dutch (docs/i18n.md)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.server.conftest import run_cli

pytestmark = pytest.mark.e2e


def test_an_english_room_plays_in_english_and_the_switch_makes_it_dutch(start_server, tablet):
    server = start_server("gevent")
    created = run_cli(server.env, "rooms", "create", "--deck", "talking-about-mobility", "--teams", "1", "--cards", "2",
                      "--no-shuffle", "--title", "Autumn", "--quorum", "1")
    assert created.returncode == 0, created.stderr
    code = created.stdout.strip().splitlines()[-1]

    sam = tablet()  # the browser itself asks for Dutch (locale nl-NL): the room's language wins
    sam.goto(f"{server.url}/r/{code}")
    expect(sam.locator("html")).to_have_attribute("lang", "en")
    sam.get_by_label("Your name in the game").fill("Sam")
    sam.get_by_role("button", name="Join").click()
    expect(sam.locator("#join-error")).to_have_text("Choose your role.")  # a script's message
    sam.get_by_text("Line manager", exact=True).click()
    sam.get_by_role("button", name="Join").click()
    expect(sam.locator("#conn")).to_contain_text("Connected")
    sam.get_by_role("button", name="Draw the next card").click()
    expect(sam.locator(".phase-pill")).to_have_text("Vote now")
    expect(sam.get_by_text("Your vote (nobody sees what you choose)")).to_be_visible()
    shot(sam, "i18n-english-room-vote")

    sam.get_by_role("button", name="Nederlands").click()  # the switch in the header
    expect(sam.locator("html")).to_have_attribute("lang", "nl")
    expect(sam.locator(".phase-pill")).to_have_text("Stem nu")
    expect(sam.get_by_text("Jouw stem (niemand ziet wat je kiest)")).to_be_visible()
    expect(sam.get_by_role("button", name="English")).to_be_visible()
    shot(sam, "i18n-english-room-switched-to-dutch")
