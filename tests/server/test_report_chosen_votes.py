"""Issue 13, done when: a room played with chosen votes through the documented protocol (python-socketio
clients against a real `inzetspel serve`) reads the same in the report's JSON, HTML, PDF text and XLSX:
- a 10/10 split over two of four options is not agreement, and reads as a 10/10 split on a two-option card;
- 85 % on one side of a statement is agreement;
- a second vote by one team only is compared for those who voted twice, with the number who changed;
- each card is in at most one of the decision note's three lists.
One server start; 20 tablets; the report fetched over HTTP by the room's facilitator."""
from __future__ import annotations

import io
import json
import re
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pytest
import requests
import socketio
from pypdf import PdfReader

from game.report.text import strings
from tests.server.conftest import ROOT, disconnect_all, run_cli

pytestmark = pytest.mark.server

NL = strings("nl")
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "een-lang-wachtwoord"
LEAD, HR = "Leidinggevende", "HR"
DECK = """\
slug: rapport-proef
title: "Proefdeck voor het rapport"
language: nl
description: Vier kaarten waarvan de stemmen in de test met de hand gekozen worden.
themes: [gesprek-op-tijd]
cards:
  - id: rp-01
    kind: dilemma
    title: "Vier routes naar een nieuwe functie"
    text: Een medewerker wil na twintig jaar iets anders. Welke route biedt de organisatie als eerste aan?
    options: ["Een interne vacature met voorrang.", "Een detachering van een halfjaar bij een partner.",
              "Een opleiding op kosten van de werkgever.", "Een vertrekregeling met loopbaanbegeleiding."]
    prompts: ["Wat kost elke route de organisatie?"]
  - id: rp-02
    kind: dilemma
    title: "Nu of na de reorganisatie"
    text: Een teamleider wil het loopbaangesprek met haar team voeren. Voert zij het nu of na de reorganisatie?
    options: ["Nu, ook al is nog niet alles bekend.", "Na de reorganisatie, als er duidelijkheid is."]
    prompts: ["Wat verliest het team als we wachten?"]
  - id: rp-03
    kind: statement
    title: "Iedereen heeft recht op een loopbaangesprek"
    text: Iedere medewerker heeft elk jaar recht op een loopbaangesprek, los van het functioneringsgesprek.
    prompts: ["Wie voert dat gesprek?"]
  - id: rp-04
    kind: dilemma
    title: "Wie betaalt de omscholing"
    text: Een medewerker wil zich laten omscholen tot verpleegkundige. Wie betaalt de opleiding?
    options: ["De medewerker zelf.", "De werkgever, met een terugbetaalregeling.", "De sector, uit het opleidingsfonds.",
              "De werkgever en de medewerker samen."]
    prompts: ["Wat is redelijk?"]
"""
TITLES = {"rp-01": "Vier routes naar een nieuwe functie", "rp-02": "Nu of na de reorganisatie",
          "rp-03": "Iedereen heeft recht op een loopbaangesprek", "rp-04": "Wie betaalt de omscholing"}

# The chosen votes: per card, per team, the ten players' first votes (and a second vote, or None).
FIRST = {
    1: ([1] * 5 + [2] * 5, [1] * 5 + [2] * 5),         # 10 A, 10 B, nobody C or D
    2: ([1] * 5 + [2] * 5, [1] * 5 + [2] * 5),         # 10 / 10 on a two-option card
    3: ([5] * 10, [5] * 7 + [1] * 3),                  # 17 "helemaal eens", 3 "helemaal oneens"
    4: ([1] * 7 + [2] * 3, [1] * 3 + [3] * 7),         # first vote: 10 A, 3 B, 7 C
}
# Card 4: team A (only) votes again after talking; six of its ten move from A to B.
SECOND = {4: ([1] + [2] * 6 + [2] * 3, None)}


class Tablet:
    """One player's tablet: a Socket.IO connection with a seat, speaking the protocol of docs/protocol.md."""

    def __init__(self, url: str, code: str, name: str, role: str, team: int):
        self.sio = socketio.Client(reconnection=False)
        self.sio.connect(url, transports=["websocket"], wait_timeout=10)
        reply = self.call("take_seat", {"code": code, "name": name, "role": role, "team": team})
        self.player_id = reply["seat"]["player_id"]

    def call(self, event: str, payload: dict) -> dict:
        reply = self.sio.call(event, payload, timeout=20)
        assert reply.get("ok"), (event, payload, reply)
        return reply

    def team(self) -> dict:
        return self.call("get_state", {})["team"]


def play_team(tablets: list[Tablet], team_index: int) -> None:
    """Play the four cards at one table: draw, everyone votes as chosen, argue, (vote again,) decide."""
    for number in range(1, 5):
        team = tablets[0].team()
        turn = next(t for t in tablets if t.player_id == team["turn_player_id"])
        assert team["round"] == number and team["phase"] == "draw"
        turn.call("draw_card", {"round": number})
        for tablet, choice in zip(tablets, FIRST[number][team_index]):
            tablet.call("cast_vote", {"round": number, "choice": choice})
        assert turn.team()["phase"] == "discuss"
        stances = ("for", "against") if number == 3 else (1, 2)
        for k, tablet in enumerate(tablets[:2]):
            tablet.call("post_argument", {"round": number, "id": f"arg-{team_index}-{number}-{k}", "stance": stances[k],
                                          "text": f"Argument {k + 1} van tafel {team_index + 1} bij kaart {number}."})
        second = SECOND.get(number, (None, None))[team_index]
        if second:
            turn.call("start_revote", {"round": number})
            for tablet, choice in zip(tablets, second):
                tablet.call("cast_vote", {"round": number, "choice": choice})
            assert turn.team()["phase"] == "decide"
        else:
            turn.call("start_decision", {"round": number})
        action = {"what": f"Voorstel uitwerken bij kaart {number}", "owner": HR, "due": "2027-03-01"} if number % 2 else None
        turn.call("record_decision", {"round": number, "position": 1, "rationale": "Gekozen na het gesprek.", "action": action})


def facilitator_session(url: str) -> requests.Session:
    web = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', web.get(f"{url}/login", timeout=10).text).group(1)
    response = web.post(f"{url}/login", data={"username": "begeleider", "password": PASSWORD, "csrf_token": token},
                        allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    return web


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def note_lists_in(text: str) -> dict[str, str]:
    """The decision note's three lists as text: from each list's heading to the next heading."""
    heads = [NL["note_agree"], NL["note_decide"], NL["note_moved"]]
    starts = [text.index(h) for h in heads]
    ends = [text.find(NL[k], starts[2]) for k in ("note_groups", "note_actions")]
    end = min(e for e in ends if e > 0)
    bounds = starts + [end]
    return {key: text[bounds[i]:bounds[i + 1]] for i, key in enumerate(("agree", "decide", "moved"))}


def assert_at_most_one_list(lists: dict[str, str]) -> dict[str, list[str]]:
    found = {key: [k for k, title in TITLES.items() if title in text] for key, text in lists.items()}
    for key, title in TITLES.items():
        assert sum(key in cards for cards in found.values()) <= 1, (key, found)
    return found


@pytest.fixture
def played(start_server, server_env, tmp_path):
    """A room of two tables of ten (half HR, half line managers) played through the protocol; the server and
    a logged-in facilitator's HTTP session."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "rapport-proef.yml").write_text(DECK, encoding="utf-8")
    env = {**server_env, "DECKS_DIR": str(decks), "INZETSPEL_PASSWORD": PASSWORD}
    assert run_cli(env, "users", "create", "begeleider").returncode == 0
    created = run_cli(env, "rooms", "create", "--deck", "rapport-proef", "--teams", "2", "--no-shuffle",
                      "--no-predictions", "--facilitator", "begeleider")
    assert created.returncode == 0, created.stderr
    code = created.stdout.strip().splitlines()[-1]
    server = start_server("gevent", env)
    tables = [[Tablet(server.url, code, f"Speler {t}-{i}", (LEAD, HR)[i % 2], t + 1) for i in range(10)] for t in range(2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(play_team, tables, range(2)))
    finally:
        disconnect_all(tablet.sio for table in tables for tablet in table)
    assert "Traceback" not in server.log()
    return server, code, facilitator_session(server.url)


def test_chosen_votes_read_the_same_in_json_html_pdf_and_xlsx(played):
    server, code, web = played
    get = lambda fmt: web.get(f"{server.url}/rooms/{code}/report" + (f"?format={fmt}" if fmt else ""), timeout=120)  # noqa: E731

    # --- JSON ---
    report = get("json").json()
    cards = {c["key"]: c for c in report["cards"]}
    four, two, statement, revoted = (cards[k] for k in ("rp-01", "rp-02", "rp-03", "rp-04"))
    assert four["first"]["counts"] == [10, 10, 0, 0] and two["first"]["counts"] == [10, 10]
    assert four["first"]["agreement"]["reading"] == two["first"]["agreement"]["reading"] == "polarised"
    assert {k: four["first"]["agreement"][k] for k in ("share", "top_count", "total", "tied")} == \
        {k: two["first"]["agreement"][k] for k in ("share", "top_count", "total", "tied")} == \
        {"share": 0.5, "top_count": 10, "total": 20, "tied": True}
    assert statement["first"]["camps"] == [3, 0, 17]
    assert (statement["first"]["agreement"]["reading"], statement["first"]["agreement"]["share"]) == ("strong", 0.85)
    change = revoted["change"]
    assert (change["paired"], change["changed"], change["first_only"]) == (10, 6, 10)
    assert change["moves"] == [{"source": 1, "target": 2, "count": 6}]
    assert (change["before"], change["after"]) == (3, 9)           # paired voters in B: 3 before, 9 after
    assert change["difference"] == {"test": "mcnemar-exact", "p": round(2 / 2 ** 6, 4), "beyond_chance": True}
    assert revoted["second"]["total"] == 10 and revoted["votes_total"] == 20
    note = report["note"]
    places = {key: [e["card"] for e in note[key]] for key in ("agree", "decide", "moved", "rest")}
    assert places == {"agree": ["rp-03"], "decide": ["rp-01", "rp-02", "rp-04"], "moved": [], "rest": []}
    listed = places["agree"] + places["decide"] + places["moved"]
    assert len(listed) == len(set(listed))
    assert "rp-01" not in places["agree"]
    moved_text = NL["changed_votes"].format(changed=6, paired=10)
    # Card 4 ended divided (everyone's last vote: one team voted again, the other's first votes still count),
    # so it is a card to decide; its entry says who moved from what to what.
    assert note["decide"][2]["moves"].startswith(moved_text)

    # --- HTML (the facilitator's page) ---
    html = get(None).text
    page = squash(re.sub(r"<[^>]+>", " ", html))
    lists = note_lists_in(page)
    assert assert_at_most_one_list(lists) == {"agree": ["rp-03"], "decide": ["rp-01", "rp-02", "rp-04"], "moved": []}
    assert moved_text in lists["decide"]
    # The 'moved' list is empty because card 4 ended split: it points there instead of saying nothing moved.
    assert NL["note_none_moved_above"] in lists["moved"] and NL["note_none_moved"] not in lists["moved"]
    for key, reading in (("rp-01", "polarised"), ("rp-02", "polarised"), ("rp-03", "strong")):
        card_page = html.split(f'id="card-{key}"')[1].split('class="card-page"')[0]
        assert f"agreement reading-{reading}" in card_page and NL[f"reading_{reading}"] in card_page, key
    # A card nobody voted on again does not claim its second vote was withheld.
    assert NL["second_withheld"].format(min_group=5) not in page
    card4 = squash(re.sub(r"<[^>]+>", " ", html.split('id="card-rp-04"')[1]))
    assert NL["first_only_note"].format(count=10) in card4 and moved_text in card4

    # --- PDF (text of the pages, pypdf) ---
    response = get("pdf")
    assert response.headers["Content-Type"].startswith("application/pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-chosen-votes.pdf").write_bytes(response.content)   # to look at (docs/report.md)
    pdf = PdfReader(io.BytesIO(response.content))
    texts = [squash(p.extract_text()) for p in pdf.pages]
    note_page = next(i for i, text in enumerate(texts) if NL["note_agree"] in text)
    assert note_page == 1, "the decision note is page 2"
    pdf_lists = note_lists_in(" ".join(texts[note_page:note_page + 2]))
    assert assert_at_most_one_list(pdf_lists) == {"agree": ["rp-03"], "decide": ["rp-01", "rp-02", "rp-04"], "moved": []}
    assert moved_text in pdf_lists["decide"]
    body = " ".join(texts[note_page + 1:])
    # Each card's page starts with its head, "KAART 2 · DILEMMA" (upper case in print).
    marks = [body.upper().index(f"{NL['card'].upper()} {n} · ") for n in range(1, 5)] + [len(body)]
    card_text = {n: body[marks[n - 1]:marks[n]] for n in range(1, 5)}
    assert NL["reading_polarised"] in card_text[1] and NL["reading_polarised"] in card_text[2]
    assert NL["reading_strong"] not in card_text[1] and NL["reading_strong"] in card_text[3]
    assert moved_text in card_text[4]

    # --- XLSX ---
    book = openpyxl.load_workbook(io.BytesIO(get("xlsx").content))
    assert book.sheetnames[0] == NL["sheet_note"]
    note_rows = [row for row in book[NL["sheet_note"]].iter_rows(min_row=2, values_only=True) if row and row[1]]
    in_lists = [(row[0], row[1]) for row in note_rows
                if row[0] in (NL["note_agree"], NL["note_decide"], NL["note_moved"])]
    titles = [title.split(". ", 1)[1] for _, title in in_lists]
    assert sorted(titles) == sorted(TITLES.values()) and len(titles) == len(set(titles))   # each card once
    assert (NL["note_agree"], f"3. {TITLES['rp-03']}") in in_lists
    assert (NL["note_decide"], f"1. {TITLES['rp-01']}") in in_lists
    moved_row = next(row for row in note_rows if row[1] == f"4. {TITLES['rp-04']}")
    assert moved_row[0] == NL["note_decide"] and moved_row[5].startswith(moved_text)
    sheet = book[NL["sheet_cards"]]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(NL[name]) for name in ("position", "ballot", "sheet_votes", "reading", "share_col", "list")}
    rows = {(r[col["position"]], r[col["ballot"]]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    first, second = NL["first_vote"], NL["second_vote"]
    assert rows[(1, first)][col["reading"]] == rows[(2, first)][col["reading"]] == NL["reading_polarised"]
    assert rows[(1, first)][col["share_col"]] == rows[(2, first)][col["share_col"]] == 0.5
    assert rows[(3, first)][col["reading"]] == NL["reading_strong"] and rows[(3, first)][col["share_col"]] == 0.85
    assert rows[(1, first)][col["list"]] == NL["place_decide"] and rows[(3, first)][col["list"]] == NL["place_agree"]
    assert rows[(4, first)][col["sheet_votes"]] == 20 and rows[(4, second)][col["sheet_votes"]] == 10
    assert json.dumps(report)  # the JSON above is what the facilitator downloaded
