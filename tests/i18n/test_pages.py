"""Every page in both languages: no Dutch left on an English page and no English on a Dutch one.

The key pages are rendered through the test client in each language (the header's switch, or a room's
own language) and their visible words checked against words that only the other language uses. Text
that is data rather than interface (deck content, role names) is removed first, and so is anything
marked with its own `lang` (the switch's "English" / "Nederlands"). The scripts' messages (the
`data-i18n` blocks) are checked too, so the JavaScript speaks the page's language.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from game.decks import load_deck_file
from game.play.formats import load_formats
from game.extensions import socketio
from game.play import rooms
from game.play.accounts import create_facilitator
from game.report.service import room_id_for_code
from game.report.sharing import create_share
from game.rules.cards import SCALE_LABELS
from game.rules.codes import screen_token
from tests.conftest import ROOT

PASSWORD = "een-lang-wachtwoord"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Words of the interface that one language has and the other never uses.
DUTCH = {"de", "het", "een", "van", "niet", "je", "jouw", "jij", "voor", "naar", "met", "nog", "geen", "deze", "dit",
         "sessie", "sessies", "kaart", "kaarten", "spel", "spellen", "stem", "stemmen", "begeleider", "wachtwoord",
         "inloggen", "uitloggen", "opslaan", "bewerken", "verwijderen", "rapport", "besluit", "gesprek", "tafel",
         "tafels", "speler", "spelers", "alleen", "kopie", "versie", "meedoen", "doe", "mee", "wordt", "heeft", "zijn"}
ENGLISH = {"the", "and", "your", "you", "with", "session", "sessions", "card", "cards", "deck", "vote",
           "votes", "password", "save", "edit", "delete", "report", "decision", "discussion", "table", "tables",
           "player", "players", "not", "only", "copy", "version", "join", "log", "this", "what", "who", "when"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-confirm")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The words a reader meets: text and labelling attributes, minus scripts and `lang`-marked parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.parts: list[str] = []
        self.messages: list[str] = []  # the translations in data-i18n blocks
        self._i18n = False

    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        skipped = tag in ("script", "style", "template") or ("lang" in a and tag != "html")
        self._i18n = tag == "script" and "data-i18n" in a
        if not self._skipping() and not skipped:
            self.parts += [a[name] for name in ATTRIBUTES if a.get(name)]
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._i18n and self.stack and self.stack[-1][0] == "script":
            for value in json.loads(data).values():
                self.messages += value if isinstance(value, list) else [value]
        elif not self._skipping():
            self.parts.append(data)


def content_strings() -> list[str]:
    """Data shown on pages that is not interface text: the decks' words, default roles, scale labels."""
    found = set(rooms.DEFAULT_ROLES["nl"]) | set(rooms.DEFAULT_ROLES["en"]) | set(SCALE_LABELS["nl"]) | set(SCALE_LABELS["en"])
    for path in (ROOT / "decks").glob("*.yml"):
        deck = load_deck_file(path)
        found |= {deck.title, deck.description, *deck.themes}
        for card in deck.cards:
            found |= {card.title, card.text, *card.options, *card.prompts, *card.themes}
    for fmt in load_formats(ROOT / "formats").values():  # session formats are content in their own language too
        found |= {fmt.title, fmt.description, fmt.script["start"], fmt.script["end"], *fmt.script["phases"].values()}
    return sorted((s for s in found if s), key=len, reverse=True)


CONTENT = content_strings()


def words_of(html: str) -> tuple[set[str], set[str]]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for piece in CONTENT:
        text = text.replace(piece, " ")
    tokenize = lambda s: set(re.findall(r"[a-zà-ÿ]+", s.lower()))  # noqa: E731
    messages = re.sub(r"%\(\w+\)[sd]", " ", " ".join(parser.messages))  # placeholder names are not words
    return tokenize(text), tokenize(messages)


def assert_speaks(html: str, language: str, page: str) -> None:
    assert f'<html lang="{language}"' in html, f"{page}: not marked as {language}"
    wrong = DUTCH if language == "en" else ENGLISH
    visible, scripts = words_of(html)
    assert not visible & wrong, f"{page} in {language}: {sorted(visible & wrong)}"
    assert not scripts & wrong, f"{page} in {language}, script messages: {sorted(scripts & wrong)}"


class Visitor:
    def __init__(self, client):  # noqa: ANN001
        self.client = client

    def token(self, page: str) -> str:
        return CSRF.search(self.client.get(page, follow_redirects=True).get_data(as_text=True)).group(1)

    def choose(self, language: str) -> None:
        response = self.client.post("/language", data={"locale": language, "next": "/", "csrf_token": self.token("/")})
        assert response.status_code == 303

    def login(self) -> None:
        response = self.client.post("/login", data={"username": "begeleider", "password": PASSWORD, "csrf_token": self.token("/login")})
        assert response.status_code == 302

    def page(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response.get_data(as_text=True)


@pytest.fixture
def account(db) -> int:
    return create_facilitator(db, "begeleider", PASSWORD)


def make_room(db, account: int, deck: str, title: str) -> str:  # noqa: ANN001
    return rooms.create_room(db, account, rooms.RoomSpec(deck_slug=deck, team_names=("A", "B"), title=title, cards=3))


@pytest.fixture
def english_room(db, account: int) -> str:
    return make_room(db, account, "talking-about-mobility", "Autumn")


@pytest.fixture
def dutch_room(db, account: int) -> str:
    return make_room(db, account, "mobiliteit-bespreekbaar", "Najaar")


def facilitator_pages(app, db, account: int, code: str, deck: str) -> list[str]:  # noqa: ANN001
    share = create_share(db, account, room_id_for_code(db, code), 7, 5, "")
    return ["/", "/login", "/nowhere", "/rooms", f"/rooms/{code}", f"/rooms/{code}/report", f"/rooms/{code}/report/share",
            f"/screen/{code}/{screen_token(app.config['SECRET_KEY'], code)}", f"/share/{share}", "/decks", f"/decks/{deck}",
            "/decks/new", "/account/password", "/facilitators/new", f"/r/{code}"]


@pytest.mark.parametrize("language, room_fixture, deck", [
    ("en", "english_room", "talking-about-mobility"),
    ("nl", "dutch_room", "mobiliteit-bespreekbaar"),
])
def test_every_key_page_speaks_one_language(app, db, account, request, language, room_fixture, deck):  # noqa: ANN001
    code = request.getfixturevalue(room_fixture)
    visitor = Visitor(app.test_client())
    visitor.choose(language)
    visitor.login()
    for url in facilitator_pages(app, db, account, code, deck):
        assert_speaks(visitor.page(url, 404 if url == "/nowhere" else 200), language, url)


def test_a_player_of_an_english_room_gets_english_without_choosing(app, english_room, dutch_room):
    player = Visitor(app.test_client())
    assert_speaks(player.page(f"/r/{english_room}"), "en", "English room")
    assert_speaks(player.page(f"/r/{dutch_room}"), "nl", "Dutch room")
    assert_speaks(player.page("/"), "nl", "start page")  # outside a room: Dutch, the default


def test_the_users_choice_overrides_the_rooms_language(app, english_room):
    player = Visitor(app.test_client())
    player.choose("nl")
    assert_speaks(player.page(f"/r/{english_room}"), "nl", "English room, Dutch chosen")
    player.choose("en")
    assert_speaks(player.page("/"), "en", "start page, English chosen")


def test_a_player_gets_the_servers_refusals_in_the_language_of_the_page(app, english_room):
    # The tablet connects with ?lang= of its page; an English room's page is English.
    client = socketio.test_client(app, query_string="lang=en")
    reply = client.emit("take_seat", {"code": english_room, "name": "Sam", "role": "Nobody"}, callback=True)
    assert reply["error"]["message"] == "Choose one of this session's roles."
    client = socketio.test_client(app, query_string="lang=nl")
    reply = client.emit("take_seat", {"code": english_room, "name": "Sam", "role": "Nobody"}, callback=True)
    assert reply["error"]["message"] == "Kies een van de rollen van deze sessie."
    client = socketio.test_client(app)  # no language given: Dutch
    reply = client.emit("draw_card", {"round": 1}, callback=True)
    assert reply["error"]["message"].startswith("Je hebt nog geen plaats")


def test_the_language_switch_only_goes_back_to_this_site(app):
    visitor = Visitor(app.test_client())
    token = visitor.token("/")
    for target in ("https://example.org/", "//example.org/", "/\\example.org"):
        response = visitor.client.post("/language", data={"locale": "en", "next": target, "csrf_token": token})
        assert response.status_code == 303 and response.location in ("/", "http://localhost/"), target
    assert visitor.client.post("/language", data={"locale": "fr", "next": "/", "csrf_token": token}).status_code == 400
    assert visitor.client.post("/language", data={"locale": "en", "next": "/"}).status_code == 400  # no CSRF token


def test_form_validation_messages_follow_the_language(app, account):
    visitor = Visitor(app.test_client())
    errors = lambda html: re.findall(r'class="error"[^>]*>([^<]+)<', html)  # noqa: E731
    empty = {"username": "", "password": "", "csrf_token": visitor.token("/login")}
    assert errors(visitor.client.post("/login", data=empty).get_data(as_text=True)) == ["Dit veld is vereist."] * 2
    visitor.choose("en")
    wrong = {"username": "begeleider", "password": "niet-het-wachtwoord", "csrf_token": visitor.token("/login")}
    assert errors(visitor.client.post("/login", data=wrong).get_data(as_text=True)) == ["Username or password is wrong."]
    assert errors(visitor.client.post("/login", data=empty).get_data(as_text=True)) == ["This field is required."] * 2
