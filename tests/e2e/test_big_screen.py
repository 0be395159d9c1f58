"""The projector and the facilitator at 1920x1080: the big screen's scannable QR code while people join,
a plenary reveal showing where the tables diverge, and the dashboard with three teams mid-game.

Run with UPDATE_SCREENSHOTS=1 to refresh docs/screenshots/ from this test."""
from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
import socketio
from playwright.sync_api import expect

from game.rules.codes import screen_token
from tests.e2e.conftest import ARTIFACTS
from tests.server.conftest import disconnect_all

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


def fits(page) -> None:  # noqa: ANN001
    """A projector cannot scroll: everything the big screen shows is inside its 1920x1080."""
    height, width = page.evaluate("() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth]")
    if height > PROJECTOR["height"] or width > PROJECTOR["width"]:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "screen-overflow.png"), full_page=True)  # what did not fit
    assert height <= PROJECTOR["height"] and width <= PROJECTOR["width"], (width, height)


def screen_with_state(tablet, url: str, change):  # noqa: ANN001, ANN201
    """The big screen on a state the test changed first (`change(state)` on the page's initial state), with
    no live connection that would replace it: a case too large to play with bots (the longest card, a
    room of many tables)."""
    import json

    config = re.compile(r'(<script type="application/json" id="inzet-config">)(.*?)(</script>)', re.S)

    def changed(route) -> None:  # noqa: ANN001
        response = route.fetch()
        page = response.text()
        cfg = json.loads(config.search(page).group(2))
        change(cfg["state"])
        body = config.sub(lambda m: m.group(1) + json.dumps(cfg).replace("<", "\\u003c") + m.group(3), page)
        route.fulfill(response=response, body=body)

    screen = tablet(PROJECTOR)
    screen.route(url, changed)
    live = re.compile(r"/socket\.io/\?")  # the connection, not the script
    screen.route_web_socket(live, lambda ws: None)
    screen.route(live, lambda route: route.abort())
    screen.goto(url)
    return screen


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
    # Tables of four are below the minimum group (5): the room's result only, no table on its own.
    expect(screen.get_by_test_id("screen-result")).to_contain_text("De stemming in de zaal")
    expect(screen.get_by_test_id("screen-result")).to_contain_text("3 tafels worden niet apart getoond")
    expect(screen.locator(".diverge tbody tr")).to_have_count(0)
    projector_shot(screen, "screen-reveal-small-tables")
    # 33 % + 33 % + 25 % + 8 % (rounded labels) still fill the whole bar.
    gap = screen.locator(".stack-big").evaluate("s => s.clientWidth - [...s.children].reduce((w, c) => w + c.getBoundingClientRect().width, 0)")
    assert abs(gap) < 1, gap

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
    # Tables of four are below the minimum group (5): no "x van 4 kan er moeilijk mee leven" on the dashboard.
    expect(laptop.locator("#teams")).not_to_contain_text("moeilijk mee leven")
    expect(laptop.locator("#coverage li.done")).to_contain_text(["Functieruil"])
    projector_shot(laptop, "dashboard-three-teams")
    expect(players[0].get_by_test_id("team-progress")).to_contain_text("1 van 3")
    disconnect_all(bot.client for bot in bots)


# --- issue 16 point 3 and issue 15: the big screen as the room's shared picture, through the privacy gate ---

def room_with_facilitator(server_env: dict, tables: tuple[str, ...], **settings) -> str:  # noqa: ANN003
    """A room created straight in the server's database (the facilitator signs in through the page)."""
    from game.play.accounts import create_facilitator
    from game.play.rooms import RoomSpec, create_room
    from game.rules.settings import RoomSettings
    from tests.conftest import make_app

    app = make_app(server_env["DATABASE_URL"])
    with app.app_context():
        db = app.extensions["inzetspel.db"]
        try:
            facilitator = create_facilitator(db, "begeleider", PASSWORD)
        except Exception:  # noqa: BLE001  (a second room in the same test)
            from game.store.models import FacilitatorRecord
            from sqlalchemy import select
            with db.transaction() as s:
                facilitator = s.scalar(select(FacilitatorRecord.id))
        code = create_room(db, facilitator, RoomSpec(deck_slug="functieruil-en-regio", team_names=tables, cards=3, shuffle=False,
                                                     title="MT-sessie inzetbaarheid", settings=RoomSettings(**settings)))
        db.dispose()
    return code


def sign_in(page, url: str, code: str) -> None:  # noqa: ANN001
    page.goto(f"{url}/login")
    page.get_by_label("Gebruikersnaam").fill("begeleider")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"{url}/rooms/{code}")
    expect(page.locator(".team-card").first).to_be_visible()


def seat_bots(url: str, code: str, sizes: tuple[int, ...]) -> dict[int, list[Bot]]:
    roles = ("Leidinggevende", "Medewerker", "MT-lid", "HR", "OR-lid")
    return {table: [Bot(url, code, f"Speler{table}{i}", roles[i % len(roles)], table) for i in range(n)]
            for table, n in enumerate(sizes, start=1)}


def turn_of(bots: list[Bot]) -> Bot:
    turn = bots[0].call("get_state", {})["team"]["turn_player_id"]
    return next(b for b in bots if b.player_id == turn)


def test_the_big_screen_in_plenary_before_during_and_after_a_vote_and_at_the_end(start_server, server_env, tablet):
    server = start_server("gevent")
    code = room_with_facilitator(server_env, TABLES, pacing="plenary", points=True)
    tables = seat_bots(server.url, code, (5, 5, 5))
    screen = tablet(PROJECTOR)
    screen.goto(f"{server.url}/screen/{code}/{screen_token(server_env['SECRET_KEY'], code)}")
    expect(screen.locator("#joined-count")).to_have_text("15 spelers aan 3 tafels")
    expect(screen.get_by_test_id("corner-join")).to_be_hidden()  # the big join panel while people join
    assert decode_qr(projector_shot(screen, "screen-join")) == [f"{server.url}/r/{code}"]
    laptop = tablet(PROJECTOR)
    sign_in(laptop, server.url, code)
    advance = laptop.get_by_role("button", name=re.compile("Alle tafels: volgende stap"))

    # Before the vote: the card, nobody has voted yet; the join code and QR stay in the corner.
    advance.click()
    expect(screen.get_by_test_id("vote-meter")).to_contain_text("0 van 15")
    expect(screen.get_by_test_id("screen-card")).to_be_visible()
    expect(screen.get_by_test_id("corner-join")).to_be_visible()
    expect(screen.get_by_test_id("corner-join")).to_contain_text(code[:4])
    expect(screen.get_by_test_id("screen-choices").locator("li")).to_have_count(4)  # the options, read from the screen
    fits(screen)
    projector_shot(screen, "screen-plenary-before")
    # During: a count, never who.
    everyone = [b for t in (1, 2, 3) for b in tables[t]]
    for i, bot in enumerate(everyone[:11]):
        bot.call("cast_vote", {"round": 1, "choice": 1 + (i % 3 == 0) + (bot.table == 3), "prediction": 1})
    expect(screen.get_by_test_id("vote-meter")).to_contain_text("11 van 15")
    fits(screen)
    projector_shot(screen, "screen-plenary-during")
    text = screen.locator("main").inner_text()
    assert "Speler" not in text and "Leidinggevende" not in text  # no names, no roles on the projector
    # After: the last votes reveal every table; the room's result, the tables of five, the discussion prompt.
    for bot in everyone[11:]:
        bot.call("cast_vote", {"round": 1, "choice": 2, "prediction": 2})
    expect(screen.get_by_test_id("screen-result")).to_contain_text("De stemming in de zaal")
    expect(screen.locator(".diverge tbody tr")).to_have_count(3)
    expect(screen.get_by_test_id("screen-prompt")).to_be_visible()
    expect(screen.get_by_test_id("screen-choices")).to_have_count(0)  # the legend beside the result names them
    fits(screen)
    projector_shot(screen, "screen-reveal")
    laptop.reload()
    expect(laptop.get_by_test_id(re.compile("figures-")).first).to_contain_text("De stemming")
    projector_shot(laptop, "dashboard-plenary")

    # The second vote: the result after the discussion, with the first beside it.
    advance.click()
    expect(screen.get_by_test_id("vote-meter")).to_contain_text("Tweede stem · 0 van 15")
    for bot in everyone:
        bot.call("cast_vote", {"round": 1, "choice": 2})
    expect(screen.get_by_test_id("screen-result")).to_contain_text("Na het gesprek")
    expect(screen.get_by_test_id("screen-result")).to_contain_text("Iedereen was het eens")  # 15 of 15: words, not n/n
    for t in (1, 2, 3):
        turn_of(tables[t]).call("record_decision", {"round": 1, "position": 2, "rationale": "Na een goed gesprek",
                                                    "action": {"what": "Ruil aankondigen", "owner": "HR", "due": "2027-03-01"}})
    # The end: "Afgelopen", thanks and the headline results, no join code any more.
    laptop.once("dialog", lambda d: d.accept())
    laptop.get_by_role("button", name="Sessie beëindigen").click()
    expect(screen.get_by_test_id("screen-end")).to_contain_text("Afgelopen")
    expect(screen.get_by_test_id("screen-end")).to_contain_text("Dank je wel")
    expect(screen.get_by_test_id("screen-end")).to_contain_text("Waar de zaal het meest eens was")
    expect(screen.locator("#join-panel")).to_be_hidden()
    expect(screen.get_by_test_id("corner-join")).to_be_hidden()
    fits(screen)
    projector_shot(screen, "screen-end")
    # A reload after the end still shows the end (issue 16); the link expires two hours later (issue 17,
    # tests/security/test_screen_links.py).
    screen.reload()
    expect(screen.get_by_test_id("screen-end")).to_contain_text("Afgelopen")
    expect(screen.get_by_test_id("screen-end")).to_contain_text("Waar de zaal het meest eens was")
    disconnect_all(bot.client for bot in everyone)


def test_a_one_player_table_shows_no_figure_on_the_big_screen_or_the_dashboard(start_server, server_env, tablet):
    server = start_server("gevent")
    code = room_with_facilitator(server_env, ("Tafel Noord", "Tafel Alleen"), pacing="plenary", comfort=True,
                                 second_vote=False, team_quorum=1)
    tables = seat_bots(server.url, code, (5, 1))
    screen = tablet(PROJECTOR)
    screen.goto(f"{server.url}/screen/{code}/{screen_token(server_env['SECRET_KEY'], code)}")
    laptop = tablet(PROJECTOR)
    sign_in(laptop, server.url, code)
    laptop.get_by_role("button", name=re.compile("Alle tafels: volgende stap")).click()
    expect(screen.get_by_test_id("vote-meter")).to_contain_text("0 van 6")
    for t in (1, 2):
        for bot in tables[t]:
            bot.call("cast_vote", {"round": 1, "choice": 1 if t == 1 else 3, "prediction": 1})
    # The room (6 votes) is shown; neither table on its own: the 1 would be the room minus the 5.
    expect(screen.get_by_test_id("screen-result")).to_contain_text("2 tafels worden niet apart getoond")
    expect(screen.locator(".diverge tbody tr")).to_have_count(0)
    laptop.reload()
    for team in laptop.locator(".team-card").all():
        expect(team).to_contain_text("worden hier niet getoond")
    projector_shot(laptop, "dashboard-one-player-table")
    laptop.get_by_role("button", name=re.compile("Alle tafels: volgende stap")).click()  # to the decision
    for _ in range(50):
        if all(tables[t][0].call("get_state", {})["team"]["phase"] == "decide" for t in (1, 2)):
            break
        time.sleep(0.1)
    for t in (1, 2):
        turn_of(tables[t]).call("record_decision", {"round": 1, "position": 1, "rationale": ""})
        for bot in tables[t]:
            bot.call("rate_comfort", {"round": 1, "score": 1})
    laptop.reload()
    for team in laptop.locator(".team-card").all():  # no "1 van 1 kan er moeilijk mee leven"
        expect(team).to_contain_text("Niet getoond voor deze tafel")
        expect(team).not_to_contain_text("moeilijk mee leven")
    projector_shot(screen, "screen-one-player-table")
    disconnect_all(bot.client for bot in tables[1] + tables[2])


def test_the_big_screen_in_team_pacing_shows_every_table_and_the_room_so_far(start_server, server_env, tablet):
    server = start_server("gevent")
    code = room_with_facilitator(server_env, TABLES, points=True, second_vote=False)
    tables = seat_bots(server.url, code, (5, 6, 5))
    screen = tablet(PROJECTOR)
    screen.goto(f"{server.url}/screen/{code}/{screen_token(server_env['SECRET_KEY'], code)}")

    def play(t: int, number: int, decide: bool = True, votes: int | None = None) -> None:
        bots = tables[t]
        turn_of(bots).call("draw_card", {"round": number})
        for i, bot in enumerate(bots[:votes]):
            bot.call("cast_vote", {"round": number, "choice": 1 + (i + t) % 2, "prediction": 1})
        if decide:
            turn = turn_of(bots)
            turn.call("start_decision", {"round": number})
            turn.call("record_decision", {"round": number, "position": 1, "rationale": "",
                                          "action": {"what": "Gesprek plannen", "owner": "HR", "due": "2027-03-01"}})

    for t in (1, 2, 3):
        play(t, 1)
    play(1, 2)
    play(1, 3, decide=False, votes=2)
    play(2, 2, decide=False, votes=3)
    play(3, 2, decide=False)
    expect(screen.get_by_test_id("screen-tables").locator(".tile")).to_have_count(3)
    expect(screen.get_by_test_id("screen-tables")).to_contain_text("2 van 6 gestemd".replace("2 van 6", "3 van 6"))
    picture = screen.get_by_test_id("screen-picture")
    expect(picture.locator(".picture-list li")).to_have_count(1)  # card 1: every table voted on it
    expect(picture).to_contain_text("aan sommige tafels gespeeld")
    expect(screen.locator(".theme-chips li.done").first).to_be_visible()
    expect(screen.locator(".leaderboard li")).to_have_count(3)
    expect(screen.get_by_test_id("corner-join")).to_be_visible()
    fits(screen)
    projector_shot(screen, "screen-team-pacing")
    disconnect_all(bot.client for bots in tables.values() for bot in bots)


def test_the_longest_card_a_deck_may_hold_still_fits_the_projector(start_server, server_env, tablet):
    """A deck's card may have an 80-character title, 600 characters of text and four options of 160
    (game/decks.py): while the room votes, the big screen shows it all, with the count, without scrolling."""
    server = start_server("gevent")
    code = room_with_facilitator(server_env, TABLES, pacing="plenary", points=True)
    bots = seat_bots(server.url, code, (5, 5))
    laptop = tablet(PROJECTOR)
    sign_in(laptop, server.url, code)
    laptop.get_by_role("button", name=re.compile("Alle tafels: volgende stap")).click()
    url = f"{server.url}/screen/{code}/{screen_token(server_env['SECRET_KEY'], code)}"

    def longest(state: dict) -> None:
        card = state["current"]["card"]
        card["title"] = ("Een lange titel van een kaart die maar door blijft gaan " * 2)[:80]
        card["text"] = ("Een teamleider wil een half jaar ruilen met een collega in de regio, maar het team is krap. " * 8)[:600]
        for choice in card["choices"]:
            choice["label"] = ("Ik doe mee, maar pas als er een vervanger is en het team er zelf achter staat, " * 3)[:160]

    screen = screen_with_state(tablet, url, longest)
    expect(screen.get_by_test_id("screen-choices").locator("li")).to_have_count(4)
    expect(screen.get_by_test_id("vote-meter")).to_contain_text("0 van 10")
    expect(screen.locator(".table-list li")).to_have_text([re.compile("Tafel Noord"), re.compile("Tafel Midden")])  # nobody at Zuid
    fits(screen)
    expect(screen.get_by_test_id("vote-meter")).to_be_in_viewport(ratio=1)
    projector_shot(screen, "screen-longest-card")
    disconnect_all(bot.client for bots_ in bots.values() for bot in bots_)


def test_a_room_of_ten_tables_and_many_cards_in_team_pacing_fits_the_projector(start_server, server_env, tablet):
    """Team pacing with ten tables (tables of five and more: each one shown), eight cards every table has
    voted on and all the deck's themes covered: every table, the room's picture (the latest six cards),
    the themes and the points fit 1920x1080."""  # (the latest four cards beside more than six tables)
    server = start_server("gevent")
    code = room_with_facilitator(server_env, TABLES, points=True, second_vote=False)
    bots = seat_bots(server.url, code, (5,))
    url = f"{server.url}/screen/{code}/{screen_token(server_env['SECRET_KEY'], code)}"
    turn_of(bots[1]).call("draw_card", {"round": 1})

    def big_room(state: dict) -> None:
        table = state["tables"][0]
        names = ("Noord", "Oost", "Zuid", "West", "Midden", "Haven", "Polder", "Duin", "Kust", "Rivier met een lange naam")
        state["tables"] = [{**table, "id": 100 + i, "name": f"Tafel {name}", "seated": 6, "votes_cast": i % 6,
                            "votes_needed": 6, "round": 1 + i % 4, "rounds_done": i % 4, "points": 40 - 3 * i,
                            "card_title": "Vier maanden weg, midden in de drukte"} for i, name in enumerate(names)]
        card = state["current"]["card"]
        state["cards"] = [{"round": n, "card": {**card, "title": f"Kaart {n}: {card['title']}"}, "tables_done": 10, "tables": 10,
                           "second": None, "first": {"agree": n % 2 == 0, "tables": [],
                                                      "room": {"n": 60, "counts": [30, 20, 10, 0], "unanimous": False,
                                                               "leader": 1, "top_share": 0.5}}} for n in range(1, 9)]
        state["themes_covered"] = list(state["room"]["themes"])
        state["player_count"] = 60

    screen = screen_with_state(tablet, url, big_room)
    expect(screen.get_by_test_id("screen-tables").locator(".tile")).to_have_count(10)
    expect(screen.get_by_test_id("screen-picture").locator(".picture-list li")).to_have_count(4)  # the latest, beside many tables
    expect(screen.get_by_test_id("screen-picture")).to_contain_text("4 eerdere kaarten staan in het rapport.")
    expect(screen.locator(".leaderboard li")).to_have_count(10)
    fits(screen)
    projector_shot(screen, "screen-team-pacing-ten-tables")
    disconnect_all(bot.client for bot in bots[1])


def test_a_plenary_room_of_ten_tables_fits_the_projector_during_and_after_the_vote(start_server, server_env, tablet):
    """Plenary with ten tables of six: the tables' counts and the points beside the card while the room votes;
    then the room's result, every table's bar, the prompts and the points. Both fit 1920x1080."""
    server = start_server("gevent")
    code = room_with_facilitator(server_env, TABLES, pacing="plenary", points=True, second_vote=False)
    bots = seat_bots(server.url, code, (5, 5))
    laptop = tablet(PROJECTOR)
    sign_in(laptop, server.url, code)
    laptop.get_by_role("button", name=re.compile("Alle tafels: volgende stap")).click()
    url = f"{server.url}/screen/{code}/{screen_token(server_env['SECRET_KEY'], code)}"
    names = ("Noord", "Oost", "Zuid", "West", "Midden", "Haven", "Polder", "Duin", "Kust", "Rivier met een lange naam")

    def ten_tables(state: dict, phase: str) -> None:
        table = state["tables"][0]
        state["tables"] = [{**table, "id": 100 + i, "name": f"Tafel {name}", "seated": 6, "phase": phase,
                            "votes_cast": i % 7 if phase == "vote" else None, "votes_needed": 6 if phase == "vote" else None,
                            "points": 40 - 3 * i} for i, name in enumerate(names)]
        state["player_count"] = 60
        current = state["current"]
        card = current["card"]
        card["prompts"] = [("Wat zegt het over een team als het niet zonder zijn leidinggevende kan, ook niet voor even? " * 2)[:96]] * 3
        if phase == "vote":
            current.update(votes_cast=27, votes_needed=60)
            return
        current.update(phases=["discuss"], voting_tables=0)
        bar = {"n": 6, "counts": [3, 2, 1, 0], "unanimous": False, "leader": 1, "top_share": 0.5}
        state["cards"] = [{"round": current["round"], "card": card, "tables_done": 10, "tables": 10, "second": None,
                           "first": {"agree": False, "tables": [{"team_id": 100 + i, **bar} for i in range(10)],
                                     "room": {**bar, "n": 60, "counts": [30, 20, 10, 0]}}}]

    during = screen_with_state(tablet, url, lambda state: ten_tables(state, "vote"))
    expect(during.locator(".table-grid li")).to_have_count(10)  # under the card: the side keeps the points
    expect(during.locator(".leaderboard li")).to_have_count(10)
    expect(during.get_by_test_id("screen-choices").locator("li")).to_have_count(4)
    fits(during)
    projector_shot(during, "screen-plenary-ten-tables-during")
    after = screen_with_state(tablet, url, lambda state: ten_tables(state, "discuss"))
    expect(after.locator(".diverge tbody tr")).to_have_count(10)
    expect(after.get_by_test_id("screen-prompt").locator("li")).to_have_count(3)
    fits(after)
    projector_shot(after, "screen-plenary-ten-tables-after")
    disconnect_all(bot.client for bots_ in bots.values() for bot in bots_)


def test_twenty_tables_while_people_join_fit_the_projector_with_a_readable_qr_code(start_server, server_env, tablet):
    server = start_server("gevent")
    code = room_with_facilitator(server_env, TABLES, pacing="plenary")
    url = f"{server.url}/screen/{code}/{screen_token(server_env['SECRET_KEY'], code)}"

    def twenty(state: dict) -> None:
        table = state["tables"][0]
        state["tables"] = [{**table, "id": 100 + i, "name": f"Tafel {i + 1}", "seated": i % 6} for i in range(20)]
        state["player_count"] = sum(i % 6 for i in range(20))

    screen = screen_with_state(tablet, url, twenty)
    expect(screen.locator(".lobby .tile")).to_have_count(20)
    expect(screen.locator("#joined-count")).to_have_text("46 spelers aan 20 tafels")  # 0-5 a table
    fits(screen)
    assert decode_qr(projector_shot(screen, "screen-join-twenty-tables")) == [f"{server.url}/r/{code}"]
