"""The projector and the facilitator at 1920x1080: the big screen's scannable QR code while people join,
a plenary reveal showing where the tables diverge, and the dashboard with three teams mid-game.

Run with UPDATE_SCREENSHOTS=1 to refresh docs/screenshots/ from this test."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import socketio
from playwright.sync_api import expect

from game.rules.codes import screen_token
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
PROJECTOR = {"width": 1920, "height": 1080}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "een-lang-wachtwoord"
TABLES = ("Tafel Noord", "Tafel Midden", "Tafel Zuid")
# Card 1 (a dilemma, options 1-4): the bots' first and second votes per table, so the tables differ.
FIRST = {1: (1, 1, 2), 2: (2, 2, 3), 3: (1, 3, 4)}
SECOND = {1: (1, 1, 1), 2: (2, 2, 2), 3: (1, 3, 3)}
BROWSER_CHOICE = {1: 0, 2: 1, 3: 2}   # which option button each table's tablet taps (0 = A)


def projector_shot(page, name: str) -> Path:
    """A screenshot of exactly what the projector shows (the viewport, 1920x1080)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        shutil.copy(path, DOCS / f"{name}.png")
    return path


def decode_qr(path) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(path))]


class Bot:
    """A seated player over Socket.IO (like a tablet), to fill the tables without a browser each."""

    def __init__(self, url: str, code: str, name: str, role: str, table: int):
        self.client = socketio.SimpleClient()
        self.client.connect(url, transports=["websocket"])
        reply = self.call("take_seat", {"code": code, "name": name, "role": role, "team": table})
        self.player_id, self.table = reply["seat"]["player_id"], table

    def call(self, event: str, payload: dict) -> dict:
        reply = self.client.call(event, payload, timeout=15)
        assert reply["ok"], (event, reply)
        return reply


def test_projector_and_dashboard_during_a_plenary_game(start_server, server_env, tablet):
    server = start_server("gevent")
    laptop = tablet(PROJECTOR)
    laptop.goto(f"{server.url}/setup")
    laptop.get_by_label("Gebruikersnaam").fill("begeleider")
    laptop.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    laptop.get_by_label("Herhaal wachtwoord").fill(PASSWORD)
    laptop.get_by_role("button", name="Account aanmaken").click()
    laptop.get_by_label("Titel van de sessie").fill("MT-sessie inzetbaarheid")
    laptop.get_by_label("Kaartspel").select_option("functieruil-en-regio")
    laptop.get_by_label("Aantal kaarten (leeg = alle)").fill("3")
    laptop.get_by_label("Teams (één naam per regel, 1 tot 20)").fill("\n".join(TABLES))
    laptop.get_by_label("Tempo").select_option("plenary")
    laptop.locator("#comfort").check()
    laptop.get_by_label("Kaarten schudden").uncheck()
    laptop.get_by_role("button", name="Sessie aanmaken").click()
    code = laptop.get_by_test_id("join-code").inner_text().strip().replace("-", "")

    # Three seats per table join first (each table's first turn is a bot's, so bots record decisions).
    roles = ("Leidinggevende", "Medewerker", "MT-lid")
    bots = [Bot(server.url, code, f"{name}{table}", roles[i], table)
            for table in (1, 2, 3) for i, name in enumerate(("Sanne", "Joost", "Fatma"))]
    screen = tablet(PROJECTOR)
    screen.goto(f"{server.url}/screen/{code}/{screen_token(server_env['SECRET_KEY'], code)}")
    expect(screen.get_by_test_id("join-qr")).to_be_visible()
    expect(screen.locator("#joined-count")).to_have_text("9 spelers aan 3 tafels")
    assert decode_qr(projector_shot(screen, "screen-join")) == [f"{server.url}/r/{code}"]

    players = []
    for table, (name, role) in enumerate((("Ilse", "HR"), ("Ruud", "OR-lid"), ("Mo", "HR")), start=1):
        page = tablet()
        page.goto(f"{server.url}/r/{code}")
        page.get_by_label("Jouw naam in het spel").fill(name)
        page.get_by_text(role, exact=True).click()
        page.locator(f'input[name="team"][value="{table}"]').check()
        page.get_by_role("button", name="Meedoen").click()
        expect(page.get_by_text("De begeleider trekt straks de volgende kaart")).to_be_visible()
        players.append(page)
    expect(screen.locator("#joined-count")).to_have_text("12 spelers aan 3 tafels")

    # Card 1: the facilitator draws for every table; everyone votes; the screen shows where the tables diverge.
    advance = laptop.get_by_role("button", name="Alle tafels: volgende stap")
    advance.click()
    expect(screen.locator(".vote-meter")).to_contain_text("0 van 12")
    for bot in bots:
        bot.call("cast_vote", {"round": 1, "choice": FIRST[bot.table][bots.index(bot) % 3], "prediction": 1})
    expect(screen.locator(".vote-meter")).to_contain_text("9 van 12")
    for table, page in enumerate(players, start=1):
        page.locator("[data-vote]").nth(BROWSER_CHOICE[table]).click()
        page.locator("[data-predict]").first.click()  # the table's last vote, with its prediction: the reveal
    for page in players:
        expect(page.locator(".phase-pill")).to_have_text("Bespreek")
    expect(screen.get_by_role("heading", name="Waar de tafels verschillen")).to_be_visible()
    expect(screen.locator(".diverge tbody tr")).to_have_count(3)
    expect(screen.locator(".diverge")).to_contain_text("Tafel Zuid")
    projector_shot(screen, "screen-reveal")

    # The second vote, then each table records its decision (the first bot has the turn).
    expect(advance).to_contain_text("tweede stemming")
    advance.click()
    for page in players:
        expect(page.locator(".phase-pill")).to_have_text("Stem opnieuw")
    for bot in bots:
        bot.call("cast_vote", {"round": 1, "choice": SECOND[bot.table][bots.index(bot) % 3]})
    for table, page in enumerate(players, start=1):
        page.locator("[data-vote]").nth(BROWSER_CHOICE[table]).click()
    for page in players:
        expect(page.locator(".phase-pill")).to_have_text("Besluit")
    decisions = {1: (1, {"what": "Ruil aankondigen in het MT-overleg", "owner": "HR", "due": "2027-03-01"}),
                 2: (2, None), 3: (None, None)}
    for table in (1, 2, 3):
        position, action = decisions[table]
        turn = next(b for b in bots if b.table == table)
        turn.call("record_decision", {"round": 1, "position": position, "rationale": "Na een goed gesprek", "action": action})
    for bot, score in zip(bots, (4, 2, 5, 5, 4, 3, 1, 2, 4)):  # "can you live with it?": counted, never who
        bot.call("rate_comfort", {"round": 1, "score": score})

    # A player brings in a dilemma from their own organisation on the tablet; the dashboard counts it live.
    players[1].get_by_text("Zelf een dilemma inbrengen").click()
    players[1].get_by_label("Titel").fill("Detachering bij de provincie")
    players[1].get_by_label("De situatie en de vraag").fill("Een beleidsmedewerker kan een jaar naar de provincie. Het team is al krap bezet.")
    players[1].locator("#od-option-1").fill("Ja, met een vervanger")
    players[1].locator("#od-option-2").fill("Nee, nu niet")
    players[1].get_by_role("button", name="Dilemma insturen").click()
    expect(players[1].get_by_text("is ingestuurd")).to_be_visible()
    expect(laptop.get_by_test_id("submissions-new")).to_have_text("1")

    # Card 2 underway: two votes per table so far. The dashboard mid-game, at projector size.
    advance.click()
    expect(screen.locator(".vote-meter")).to_contain_text("0 van 12")
    for bot in bots:
        if bots.index(bot) % 3 != 2:
            bot.call("cast_vote", {"round": 2, "choice": 2 + bots.index(bot) % 2, "prediction": 0})
    laptop.reload()  # without the "session created" notice
    expect(laptop.locator(".team-card")).to_have_count(3)
    for team in laptop.locator(".team-card").all():
        expect(team).to_contain_text("2 van 4 gestemd")
        expect(team).to_contain_text("4/4 online")
    expect(laptop.locator(".mini-decisions")).to_have_count(3)
    expect(laptop.locator(".team-card .alerts").first).to_contain_text(re.compile("moeilijk leven"))
    expect(laptop.locator("#coverage li.done")).to_contain_text(["functieruil"])
    projector_shot(laptop, "dashboard-three-teams")
    expect(players[0].get_by_test_id("team-progress")).to_contain_text("1 van 3")
    for bot in bots:
        bot.client.disconnect()
