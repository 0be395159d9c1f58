"""Report fixtures: rooms played to the end through the game's own use cases (no hand-made rows)."""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

import pytest
from sqlalchemy import select

from game.play import rooms, turns
from game.play.accounts import create_facilitator
from game.rules.turns import Action
from game.store.models import RoomCardRecord, RoomRecord, RoundRecord, TeamRecord, VoteRecord

DECK = "mobiliteit-bespreekbaar"
ROLES = ("Bestuurder / directeur", "MT-lid", "Leidinggevende", "HR", "Medewerker", "OR-lid")
TODAY = dt.date(2026, 11, 23)


def _vote_for(kind_choices: Sequence[int], rng: random.Random, lean: int | None) -> int:
    if lean is not None and rng.random() < 0.7:
        return lean
    return rng.choice(list(kind_choices))


def play_room(
    db, facilitator_id: int | None, *, teams: int = 3, players: int = 15, cards: int = 4, seed: int = 1,
    roles: Sequence[str] = ROLES, chooser: Callable | None = None, second_vote: bool = False,
    deck: str = DECK, language_roles: Sequence[str] | None = None, finish: bool = True,
    settings=None, predictor: Callable | None = None, comfort: Callable | None = None, observers: int = 0,  # noqa: ANN001
) -> str:
    """Create a room, seat `players` over `teams`, play every card (votes, arguments, decisions); return the code.

    `chooser(card_position, team_index, player_index, choices, rng)` picks votes; default: a lean per card.
    `second_vote=True` also stores a ballot-2 vote per player (the facilitation issue's vote after discussion).
    `predictor(card_position, team_index, player_index, kind, choices)` gives each vote a prediction of the team
    majority; `comfort(card_position, team_index, player_index)` answers "can you live with it?" after each
    decision (needs settings with comfort=True); `observers` seats that many observers in team 1."""
    rng = random.Random(seed)
    spec = rooms.RoomSpec(deck_slug=deck, team_names=tuple(f"Team {chr(65 + i)}" for i in range(teams)),
                          cards=cards, shuffle=False, roles=tuple(dict.fromkeys(language_roles or roles)),
                          **({"settings": settings} if settings is not None else {}))
    code = rooms.create_room(db, facilitator_id, spec)
    seats = [rooms.take_seat(db, code, f"Speler {i}", (language_roles or roles)[i % len(language_roles or roles)], i % teams + 1)[1]
             for i in range(players)]
    for i in range(observers):
        rooms.take_seat(db, code, f"Kijker {i}", (language_roles or roles)[0], 1, observer=True)
    by_team: dict[int, list] = {}
    for seat in seats:
        by_team.setdefault(seat.team_id, []).append(seat)
    for number in range(1, cards + 1):
        for t_index, (team_id, members) in enumerate(sorted(by_team.items())):
            turn = members[(number - 1) % len(members)]
            outcome = turns.draw_card(db, turn, number)
            card = outcome.team_views[team_id]["card"]
            choices = [c["value"] for c in card["choices"]]
            lean = choices[(number * 7 + seed) % len(choices)]
            picks = []
            for p_index, seat in enumerate(members):
                choice = chooser(number, t_index, p_index, choices, rng) if chooser else _vote_for(choices, rng, lean)
                picks.append(choice)
                prediction = predictor(number, t_index, p_index, card["kind"], choices) if predictor else None
                turns.cast_vote(db, seat, number, choice, prediction=prediction)
            stance_pool = choices if card["kind"] == "dilemma" else ["for", "against"]
            for p_index, seat in enumerate(members[:3]):
                text = f"Argument {p_index + 1} van dit team bij kaart {number}: " + "omdat het ertoe doet. " * (p_index + 1)
                turns.post_argument(db, seat, number, rng.choice(stance_pool), text, f"c{number}-{t_index}-{p_index}")
            turns.start_decision(db, turn, number)
            position = None if (number + t_index) % 5 == 4 else max(set(picks), key=picks.count)
            action = Action(f"Actie van {chr(65 + t_index)} bij kaart {number}", "HR", TODAY + dt.timedelta(days=30 * number)) \
                if (number + t_index) % 2 == 0 else None
            turns.record_decision(db, turn, number, position, f"Toelichting team {chr(65 + t_index)}", action, TODAY)
            if comfort:
                for p_index, seat in enumerate(members):
                    turns.rate_comfort(db, seat, number, comfort(number, t_index, p_index))
    if second_vote:
        add_second_votes(db, code, lambda choice, choices, r: choices[-1] if r.random() < 0.8 else choice, seed)
    if finish and facilitator_id:
        rooms.end_room(db, facilitator_id, code)
    return code


def add_second_votes(db, code: str, change: Callable, seed: int = 1) -> None:
    """Store a ballot-2 vote for every first vote (what the facilitation issue will add)."""
    rng = random.Random(seed)
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        firsts = s.scalars(select(VoteRecord).join(RoundRecord).join(TeamRecord)
                           .where(TeamRecord.room_id == room.id, VoteRecord.ballot == 1).order_by(VoteRecord.id)).all()
        for vote in firsts:
            card = s.get(RoomCardRecord, s.get(RoundRecord, vote.round_id).room_card_id).card
            choices = list(range(1, len(card.get("options") or [0] * 5) + 1))
            s.add(VoteRecord(round_id=vote.round_id, player_id=vote.player_id, ballot=2, choice=change(vote.choice, choices, rng)))


def link_previous(db, code: str, previous_code: str) -> None:
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        room.previous_room_id = s.scalar(select(RoomRecord.id).where(RoomRecord.code == previous_code))


@pytest.fixture
def facilitator_id(db) -> int:
    return create_facilitator(db, "begeleider", "een-lang-wachtwoord")


@pytest.fixture
def played_room(db, facilitator_id) -> str:
    """A finished 3-team, 15-player room of 4 cards."""
    return play_room(db, facilitator_id)


# --- HTTP: a facilitator's browser that posts forms with the page's CSRF token ---
import re  # noqa: E402

PASSWORD = "een-lang-wachtwoord"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    def __init__(self, client):  # noqa: ANN001
        self.client = client

    def get(self, url: str, **kwargs):  # noqa: ANN003, ANN201
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict, page: str, **kwargs):  # noqa: ANN003, ANN201
        html = self.client.get(page, follow_redirects=True).get_data(as_text=True)
        match = CSRF.search(html)
        assert match, f"no CSRF token on {page}"
        return self.client.post(url, data={**data, "csrf_token": match.group(1)}, **kwargs)

    def login(self, username: str = "begeleider"):  # noqa: ANN201
        return self.post("/login", {"username": username, "password": PASSWORD}, "/login")


@pytest.fixture
def browser(app, facilitator_id) -> Browser:
    b = Browser(app.test_client())
    assert b.login().status_code == 302
    return b
