"""The authorisation matrix: who may do what, for every HTTP route and every Socket.IO event.

Senders: anonymous, a player of room A, a player of room B, the facilitator of A, the facilitator of B,
the holder of A's report share link, and the big screen of A. Everything not allowed is refused, with
the expected code or status, and leaves room A as it was.

Players hold no cookie (their seat token lives in the browser and travels only in the Socket.IO
handshake), so over HTTP a player is anonymous; a share-link or screen-link holder is anonymous too, the
token in the address is their only credential. Both tables must list every route and event the app
registers: a route or event added later fails `test_every_route_and_event_is_in_the_matrix` until its
row is written here.
"""
from __future__ import annotations

import re
import secrets

import pytest
from sqlalchemy import func, select

from game.app import SOCKETIO_ENDPOINTS
from game.extensions import socketio
from game.play import library
from game.report import sharing
from game.rules.codes import screen_token
from tests.security.conftest import fingerprint
from tests.conftest import sign_in

ANON, FAC_A, FAC_B, SHARE, SCREEN = "anonymous", "facilitator_a", "facilitator_b", "share_holder", "screen_holder"
LOGIN = "login"  # a redirect to the login page
HTTP_ACTORS = (ANON, SHARE, SCREEN, FAC_B, FAC_A)  # the owner last: their POSTs change things
OWN_DECK = "eigen-spel"

# route -> method -> expected status per actor (a missing actor: like ANON). Room routes aim at room A,
# deck routes at a deck facilitator A made; /share and /screen carry the holder's real token for the
# holder and a well-formed wrong token for everyone else. POSTs carry a valid CSRF token and no fields.
ANYONE_200 = {a: 200 for a in HTTP_ACTORS}
LOGGED_IN = {ANON: LOGIN, SHARE: LOGIN, SCREEN: LOGIN}
HTTP = {
    "/": {"GET": ANYONE_200},
    "/healthz": {"GET": ANYONE_200},
    "/join": {"GET": {a: 302 for a in HTTP_ACTORS}},            # ?code=... -> /r/<code>
    "/r/<code>": {"GET": ANYONE_200},                             # the join code is the credential
    "/setup": {"GET": {a: 302 for a in HTTP_ACTORS}, "POST": {a: 302 for a in HTTP_ACTORS}},  # done once
    "/login": {"GET": ANYONE_200, "POST": ANYONE_200},           # an empty login: the form again
    "/logout": {"POST": {a: 302 for a in HTTP_ACTORS}},
    "/facilitators/new": {"GET": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}, "POST": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}},
    "/account/password": {"GET": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}, "POST": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}},
    "/account/logout-everywhere": {"POST": {**LOGGED_IN, FAC_B: 302, FAC_A: 302}},
    "/rooms": {"GET": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}, "POST": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}},
    "/rooms/<code>": {"GET": {**LOGGED_IN, FAC_B: 404, FAC_A: 200}},
    "/rooms/<code>/end": {"POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 302}},
    "/rooms/<code>/delete": {"POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 302}},
    "/rooms/<code>/report": {"GET": {**LOGGED_IN, FAC_B: 404, FAC_A: 200}},
    "/rooms/<code>/report/previous": {"POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 302}},   # previous=0: none
    "/rooms/<code>/report/share": {"GET": {**LOGGED_IN, FAC_B: 404, FAC_A: 200},
                                   "POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 200}},
    "/rooms/<code>/report/share/<int:share_id>/revoke": {"POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 302}},
    "/share/<token>": {"GET": {ANON: 404, SCREEN: 404, FAC_B: 404, FAC_A: 404, SHARE: 200}},
    "/screen/<code>/<token>": {"GET": {ANON: 404, SHARE: 404, FAC_B: 404, FAC_A: 404, SCREEN: 200}},
    # The deck library is shared by the facilitators of one installation (design: decks hold dilemmas,
    # never HR data); bundled decks are read-only for everyone.
    "/decks": {"GET": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}},
    "/decks/<slug>": {"GET": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}},
    "/decks/new": {"GET": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}, "POST": {**LOGGED_IN, FAC_B: 422, FAC_A: 422}},
    "/decks/<slug>/edit": {"GET": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}, "POST": {**LOGGED_IN, FAC_B: 422, FAC_A: 422}},
    "/decks/<slug>/duplicate": {"POST": {**LOGGED_IN, FAC_B: 302, FAC_A: 302}},
    "/decks/<slug>/versions/<int:version>/restore": {"POST": {**LOGGED_IN, FAC_B: 302, FAC_A: 302}},
    "/decks/<slug>/export.<fmt>": {"GET": {**LOGGED_IN, FAC_B: 200, FAC_A: 200}},
    "/decks/import": {"POST": {**LOGGED_IN, FAC_B: 422, FAC_A: 422}},                # no file: refused
    # Dilemmas players brought in (room A's submission): only A's facilitator reviews them.
    "/rooms/<code>/submissions": {"GET": {**LOGGED_IN, FAC_B: 404, FAC_A: 200}},
    "/submissions/<int:submission_id>": {"GET": {**LOGGED_IN, FAC_B: 404, FAC_A: 200},
                                         "POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 400}},  # no card fields: refused
    "/submissions/<int:submission_id>/reject": {"POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 302}},
    "/language": {"POST": {a: 303 for a in HTTP_ACTORS}},                     # anyone picks their language
    # issue 17: the big-screen link renewed by the room's facilitator only (game/web/screen.py `renew`).
    "/rooms/<code>/screen-link": {"POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 302}},
    # The dashboard's live role groups (game/web/report.py `groups_live`): room_id_for_code checks the owner.
    "/rooms/<code>/groups": {"GET": {**LOGGED_IN, FAC_B: 404, FAC_A: 200}},
    # An action's follow-up status: the facilitator through owned_room, the MT through its share token; both
    # scoped to that room's actions. Room A has no action here, so even the owner and the holder get 404:
    # these rows prove the refusals (login, owner, token); tests/report/test_follow_up.py the successes.
    "/rooms/<code>/actions/<int:action_id>/status": {"POST": {**LOGGED_IN, FAC_B: 404, FAC_A: 404}},
    "/share/<token>/actions/<int:action_id>/status": {"POST": {a: 404 for a in HTTP_ACTORS}},
    "/favicon.ico": {"GET": {a: 301 for a in HTTP_ACTORS}},                 # to the static icon
    "/manifest.webmanifest": {"GET": ANYONE_200},
}
# Fields a POST carries besides the CSRF token, where the owner's request needs them to succeed.
FORMS = {"/rooms/<code>/report/previous": {"previous": "0"}, "/language": {"locale": "en", "next": "/"},
         "/rooms/<code>/actions/<int:action_id>/status": {"status": "done", "back": "report"},
         "/share/<token>/actions/<int:action_id>/status": {"status": "done", "back": "report"}}
PUBLIC_ENDPOINTS = {"static", *SOCKETIO_ENDPOINTS}  # engine.io's path: never served by Flask (game/app.py)


def http_client(world, actor: str):
    client = world.app.test_client()
    if actor in (FAC_A, FAC_B):
        with client.session_transaction() as session:
            sign_in(world.app, session, world.fac_a if actor == FAC_A else world.fac_b)
    return client


def csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.fixture
def tokens(world) -> dict:
    """Room A's share link and screen link; a deck of facilitator A's own (with two versions)."""
    with world.app.app_context():
        share = sharing.create_share(world.db, world.fac_a, _room_id(world, world.code_a), 30, 5, "MT")
    library.duplicate_deck(world.db, "mobiliteit-bespreekbaar", OWN_DECK, "Eigen spel", "begeleider-a")
    deck = library.get_deck(world.db, OWN_DECK)
    content = {**deck["content"], "description": "Tweede versie."}
    library.save_version(world.db, OWN_DECK, content, "begeleider-a", based_on=deck["version"])
    from game.store.models import ReportShareRecord, SubmissionRecord

    room_a = _room_id(world, world.code_a)
    with world.db.transaction() as s:
        share_id = s.scalar(select(ReportShareRecord.id))
        submission = SubmissionRecord(room_id=room_a, title="Ingebracht dilemma",
                                      text="Wat doen we als een collega wil rouleren?", options=["Ja", "Nee"])
        s.add(submission)
        s.flush()
        submission_id = submission.id
    return {"share": share, "share_id": share_id, "submission_id": submission_id,
            "screen": screen_token(world.app.config["SECRET_KEY"], world.code_a)}


def _room_id(world, code: str) -> int:
    from game.store.models import RoomRecord

    with world.db.transaction() as s:
        return s.scalar(select(RoomRecord.id).where(RoomRecord.code == code))


def url_for_rule(rule: str, world, tokens: dict, actor: str) -> str:
    wrong = secrets.token_urlsafe(24)
    values = {"code": world.code_a, "share_id": str(tokens["share_id"]), "slug": OWN_DECK, "version": "1", "fmt": "csv",
              "submission_id": str(tokens["submission_id"]), "action_id": "1",
              "token": (tokens["share"] if actor == SHARE else wrong) if rule.startswith("/share/")
              else (tokens["screen"] if actor == SCREEN else wrong[:32])}
    url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values[m.group(1)], rule)
    return url + (f"?code={world.code_a}" if rule == "/join" else "")


def request_as(world, tokens: dict, actor: str, method: str, rule: str):  # noqa: ANN201
    client = http_client(world, actor)
    url = url_for_rule(rule, world, tokens, actor)
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(client), **FORMS.get(rule, {})})


def rules_of(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        found.setdefault(rule.rule, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return found


@pytest.mark.parametrize("rule", sorted(HTTP))
def test_http_route_matrix(rule, world, tokens):
    if rule not in rules_of(world.app):
        pytest.skip(f"{rule} is not registered in this build")
    for method, expected in HTTP[rule].items():
        for actor in HTTP_ACTORS:
            status = expected.get(actor, expected.get(ANON))
            before = fingerprint(world.db)
            response = request_as(world, tokens, actor, method, rule)
            got = response.status_code
            if status == LOGIN:
                assert got == 302 and "/login" in response.headers["Location"], (actor, method, rule, got)
            else:
                assert got == status, (actor, method, rule, got)
            if got >= 400 or status == LOGIN:
                assert fingerprint(world.db) == before, f"{actor}: refused {method} {rule} changed the database"
            body = response.get_data(as_text=True)
            if actor != FAC_A and got == 200 and rule not in ("/r/<code>", "/share/<token>", "/screen/<code>/<token>"):
                # Nobody but A's facilitator (and the holders of A's links) ever sees room A's code.
                assert world.code_a not in body and world.code_a[:4] + "-" + world.code_a[4:] not in body, \
                    f"{actor} saw room A on {method} {rule}"


def test_every_route_and_event_is_in_the_matrix(world):
    registered = rules_of(world.app)
    missing = {rule: methods - set(HTTP.get(rule, {})) for rule, methods in registered.items()}
    assert not {r: m for r, m in missing.items() if m}, "add these routes to HTTP in tests/security/test_authorisation.py"
    events = {h[0] for h in socketio.handlers if h[0] not in ("connect", "disconnect", "*")}
    assert not events - set(EVENTS), f"add these events to EVENTS: {sorted(events - set(EVENTS))}"


def test_facilitator_b_never_sees_room_a_in_their_list(world):
    page = http_client(world, FAC_B).get("/rooms").get_data(as_text=True)
    assert world.code_b[:4] in page and world.code_a[:4] + "-" + world.code_a[4:] not in page


def test_every_post_route_wants_a_csrf_token(world):
    for rule, methods in rules_of(world.app).items():
        if "POST" not in methods:
            continue
        url = re.sub(r"<(?:[^:>]+:)?code>", world.code_a, rule)
        url = re.sub(r"<[^>]+>", "1", url)
        for actor in (ANON, FAC_A):
            response = http_client(world, actor).post(url, data={"x": "1"})
            assert response.status_code == 400, (actor, rule, response.status_code)


def test_a_share_link_opens_only_its_own_room(world, tokens):
    """The share token of room A never opens room B, and B's facilitator pages stay closed to its holder."""
    client = http_client(world, SHARE)
    page = client.get(f"/share/{tokens['share']}").get_data(as_text=True)
    assert world.code_b not in page
    for fmt in ("json", "csv", "xlsx", "pdf"):
        assert client.get(f"/share/{tokens['share']}?format={fmt}").status_code == 200
    assert client.get(f"/share/{tokens['share']}?format=exe").status_code == 400
    for url in (f"/rooms/{world.code_a}", f"/rooms/{world.code_a}/report", f"/rooms/{world.code_b}/report"):
        assert client.get(url).status_code == 302  # to the login page


def _texts_of(fmt: str, body: bytes) -> list[str]:
    """The readable text of a report download: the page, the JSON, every CSV/XLSX part, the PDF's pages."""
    import io
    import zipfile

    if fmt in ("csv", "xlsx"):  # an XLSX is a ZIP of XML parts too
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return [z.read(name).decode("utf-8", "replace") for name in z.namelist()]
    if fmt == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return [page.extract_text() for page in reader.pages] + [repr(reader.trailer.get("/ID"))]
    return [body.decode("utf-8")]


def test_a_report_share_link_shows_the_join_code_in_no_format(world, tokens):
    """Holding the MT's link must not let anyone into a still-open room: no code on the page, in any
    download or in a download's file name (issue 17)."""
    client = http_client(world, SHARE)
    spelled = (world.code_a, world.code_a[:4] + "-" + world.code_a[4:])
    found = {}
    for fmt in ("html", "json", "csv", "xlsx", "pdf"):
        response = client.get(f"/share/{tokens['share']}?format={fmt}")
        assert response.status_code == 200
        where = [w for w in (response.headers.get("Content-Disposition", ""), *_texts_of(fmt, response.get_data()))
                 if any(code in w for code in spelled)]
        if where:
            found[fmt] = where[0][:80]
    assert not found, found


# --- Socket.IO ---------------------------------------------------------------------------------

PLAYER, FACILITATOR, ANYONE = "player", "facilitator", "anyone"
# event -> who it is for. Every event the app registers must be here (see the test above).
EVENTS = {
    "take_seat": ANYONE, "get_state": PLAYER, "draw_card": PLAYER, "cast_vote": PLAYER, "close_vote": PLAYER,
    "post_argument": PLAYER, "start_revote": PLAYER, "mark_helpful": PLAYER, "rate_comfort": PLAYER,
    "start_decision": PLAYER, "record_decision": PLAYER, "submit_dilemma": PLAYER,
    "watch_room": FACILITATOR, "team_move": FACILITATOR, "advance_team": FACILITATOR, "advance_all": FACILITATOR,
    "pause_room": FACILITATOR, "lock_room": FACILITATOR, "broadcast_message": FACILITATOR, "move_player": FACILITATOR,
    "remove_player": FACILITATOR, "update_settings": FACILITATOR, "end_room": FACILITATOR,
    "claim_seat": ANYONE, "merge_players": FACILITATOR, "start_tables": FACILITATOR,  # issue 16
}
# Refusals that are about *who* is asking (never a rule of the game).
WHO_CODES = {"seat/none", "auth/facilitator_only", "room/not_your_room", "seat/already_seated", "player/not_found",
             "team/not_found", "payload/invalid", "event/unknown"}


def payloads(world, cast) -> dict:
    """A well-formed payload per event, aimed at room A."""
    team_a1, team_a2 = world.team_ids_a
    return {
        "take_seat": {"code": world.code_a, "name": "Nieuw", "role": "HR"},
        "get_state": {},
        "draw_card": {"round": 1}, "close_vote": {"round": 1}, "start_revote": {"round": 1}, "start_decision": {"round": 1},
        "cast_vote": {"round": 1, "choice": 1},
        "post_argument": {"round": 1, "id": "matrix-argument-1", "stance": 1, "text": "Een argument."},
        "mark_helpful": {"round": 1, "argument": 1},
        "rate_comfort": {"round": 1, "score": 3},
        "record_decision": {"round": 1, "position": None, "rationale": "Besluit."},
        "submit_dilemma": {"title": "Een eigen dilemma", "text": "Wat doen we als ...?", "kind": "dilemma",
                           "options": ["Ja", "Nee"]},
        "watch_room": {"code": world.code_a}, "advance_all": {"code": world.code_a}, "end_room": {"code": world.code_a},
        "team_move": {"team_id": team_a1, "move": "close_vote", "round": 1},
        "advance_team": {"team_id": team_a1},
        "pause_room": {"code": world.code_a, "on": True}, "lock_room": {"code": world.code_a, "on": True},
        "broadcast_message": {"code": world.code_a, "text": "Hallo"},
        "move_player": {"player_id": cast.teammate_a.player_id, "team_id": team_a2},
        "remove_player": {"player_id": cast.teammate_a.player_id},
        "update_settings": {"code": world.code_a, "settings": {}},
        "claim_seat": {"code": world.code_a, "name": "Niemand"},  # no such seat: nobody's seat is taken over here
        "merge_players": {"keep_id": cast.player_a.player_id, "drop_id": cast.player_a.player_id},
        "start_tables": {"code": world.code_a},
    }


# Facilitator B aiming at room A by a player's id: told that player is not in their session.
NOT_YOURS = {"move_player": "player/not_found", "remove_player": "player/not_found", "merge_players": "player/not_found"}


def refusal_for(sender: str, event: str, kind: str) -> str | None:
    """The code an unauthorised sender gets; None when the sender may send the event (to their own room)."""
    seated = sender in ("player_a", "player_b")
    if kind == ANYONE:
        return "seat/already_seated" if seated else None
    if kind == PLAYER:
        return None if seated else "seat/none"
    if sender in ("facilitator_a", "facilitator_b"):
        return None if sender == "facilitator_a" else NOT_YOURS.get(event, "room/not_your_room")
    return "auth/facilitator_only"


@pytest.fixture
def screen_conn(world, connect):
    from flask_socketio import SocketIOTestClient

    sio = socketio.test_client(world.app, auth={"code": world.code_a, "screen": screen_token(world.app.config["SECRET_KEY"], world.code_a)})
    assert isinstance(sio, SocketIOTestClient) and any(m["name"] == "screen" for m in sio.get_received())
    from tests.security.conftest import Conn

    yield Conn(sio, SCREEN)
    sio.disconnect()


def test_socketio_event_matrix(world, cast, connect, screen_conn, tokens):
    """1. Every sender who may not send an event gets the refusal for *who* they are, and room A is unchanged
    (player B's moves land in room B). 2. The senders who may, are never refused for who they are."""
    share_conn = connect(world, token=tokens["share"], label=SHARE)  # a share token is no seat token
    assert any(e["code"] == "seat/unknown" for e in share_conn.received("error"))
    senders = {**cast.senders(), SHARE: share_conn, SCREEN: screen_conn}
    registered = {h[0] for h in socketio.handlers}
    # take_seat last: a stranger who knows the code may join (the code is the credential), and is then seated.
    events = {name: kind for name, kind in sorted(EVENTS.items(), key=lambda e: e[0] == "take_seat") if name in registered}
    data = payloads(world, cast)
    for event, kind in events.items():
        for name, conn in senders.items():
            expected = refusal_for(name, event, kind)
            if expected is None and name not in ("player_b", "anonymous", SHARE, SCREEN):
                continue  # allowed on room A: part 2
            before = room_state(world, world.code_a)
            reply = conn.call(event, data[event])
            conn.client.get_received()
            if expected is not None:
                assert reply.get("ok") is False and reply["error"]["code"] == expected, (event, name, reply)
            elif reply.get("ok"):  # player B (or a newcomer with the code) acting in their own right
                room = reply.get("team", {}).get("room", {}).get("code")
                assert room in (None, world.code_b) or event == "take_seat", (event, name, reply)
            if not (event == "take_seat" and expected is None):
                assert room_state(world, world.code_a) == before, f"{name} changed room A with {event}"
    # 2. Allowed senders on room A: the turn player and facilitator A, in an order that lets most succeed.
    for event, kind in events.items():
        if kind != PLAYER:
            continue
        reply = cast.player_a.call(event, data[event])
        assert reply.get("ok") or reply["error"]["code"] not in WHO_CODES, (event, reply)
    for event, kind in events.items():
        if kind != FACILITATOR:
            continue
        reply = cast.facilitator_a.call(event, data[event])
        assert reply.get("ok") or reply["error"]["code"] not in WHO_CODES, (event, reply)


def room_state(world, code: str) -> tuple:
    from game.store.models import ArgumentRecord, PlayerRecord, RoomRecord, RoundRecord, TeamRecord, VoteRecord

    with world.db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        teams = s.execute(select(TeamRecord.id, TeamRecord.phase, TeamRecord.version).where(TeamRecord.room_id == room.id)
                          .order_by(TeamRecord.id)).all()
        votes = s.scalar(select(func.count()).select_from(VoteRecord).join(RoundRecord).join(TeamRecord)
                         .where(TeamRecord.room_id == room.id))
        arguments = s.scalar(select(func.count()).select_from(ArgumentRecord).join(RoundRecord).join(TeamRecord)
                             .where(TeamRecord.room_id == room.id))
        players = s.execute(select(PlayerRecord.id, PlayerRecord.team_id, PlayerRecord.removed_at)
                            .where(PlayerRecord.room_id == room.id).order_by(PlayerRecord.id)).all()
        return (room.is_open, room.paused, room.locked, room.message, room.settings, tuple(teams), votes, arguments,
                tuple(players))


def test_no_vote_ever_reaches_another_player_with_a_name(world, cast):
    """Before the reveal others see only that you voted; after it only counts per choice (never who)."""
    cast.player_a.call("draw_card", {"round": 1})
    cast.teammate_a.client.get_received()
    cast.player_a.call("cast_vote", {"round": 1, "choice": 2})
    for message in cast.teammate_a.client.get_received():
        for team in _team_views(message):
            for player in team.get("players", []):
                assert set(player) & {"choice", "vote", "my_vote"} == set(), player
    cast.teammate_a.call("cast_vote", {"round": 1, "choice": 1})
    for message in cast.player_a.client.get_received():
        for team in _team_views(message):
            if team.get("distribution") is not None:
                assert all(set(d) <= {"value", "count", "label", "share", "ballot"} for d in team["distribution"]), team["distribution"]
            for player in team.get("players", []):
                assert set(player) & {"choice", "vote", "my_vote"} == set(), player


def _team_views(message: dict) -> list[dict]:
    found = []
    for arg in message.get("args", []):
        if isinstance(arg, dict):
            if "team" in arg and isinstance(arg["team"], dict) and "players" in arg["team"]:
                found.append(arg["team"])
            elif "players" in arg:
                found.append(arg)
    return found


def test_the_database_is_unchanged_by_refused_matrix_calls(world, cast):
    before = fingerprint(world.db)
    for sender in ("anonymous", "facilitator_b"):
        cast.senders()[sender].call("end_room", {"code": world.code_a})
        cast.senders()[sender].call("team_move", {"team_id": world.team_ids_a[0], "move": "draw_card", "round": 1})
    assert fingerprint(world.db) == before


def test_events_in_the_wrong_phase_are_answered_with_an_error(world, cast):
    """Each player event sent by the turn player while the team is still drawing (and again once the room
    has ended): a refusal in the ack and as an `error` event, never silence, never a change."""
    data = payloads(world, cast)
    legal_now = {"get_state", "draw_card", "take_seat", "submit_dilemma"}
    registered = {h[0] for h in socketio.handlers}
    for event in sorted(e for e, kind in EVENTS.items() if kind == PLAYER and e in registered and e not in legal_now):
        before = room_state(world, world.code_a)
        reply = cast.player_a.call(event, data[event])
        assert reply.get("ok") is False and reply["error"]["code"] not in WHO_CODES, (event, reply)
        assert reply["error"] in cast.player_a.received("error"), event
        assert room_state(world, world.code_a) == before, event
    assert cast.facilitator_a.call("end_room", {"code": world.code_a})["ok"]
    for event in sorted(e for e, kind in EVENTS.items() if kind == PLAYER and e in registered and e not in ("get_state", "take_seat", "submit_dilemma")):  # dilemmas: also after the room
        reply = cast.player_a.call(event, data[event])
        assert reply.get("ok") is False and reply["error"]["code"] not in WHO_CODES, (event, reply)
