"""Arguments in the report: ranked by the players' *nuttig* taps (chosen here, tap by tap), quoted grouped by
option, without their authors."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from game.play import rooms, turns
from game.report.aggregate import ReportOptions
from game.report.service import render, room_id_for_code, room_report
from game.rules.turns import Action
from game.store.models import ArgumentRecord
from tests.report.conftest import DECK, ROLES, TODAY

# (author, stance, taps by other players, text); the longest text has no taps, so length cannot be what ranks.
ARGUMENTS = (
    (0, "1", 1, "Een kort argument voor A."),
    (1, "2", 4, "B, omdat het werkt."),
    (2, "1", 3, "A: zo houden we haar kennis binnen."),
    (3, "3", 0, "C, en dit is verreweg het langste argument van allemaal, met veel woorden maar zonder dat iemand het nuttig vond."),
    (4, "2", 2, "B: eerst het gesprek voeren."),
)


@pytest.fixture
def report(db, facilitator_id):  # noqa: ANN001, ANN201
    code = rooms.create_room(db, facilitator_id, rooms.RoomSpec(deck_slug=DECK, team_names=("Team A",), cards=1,
                                                                shuffle=False, roles=ROLES))
    seats = [rooms.take_seat(db, code, f"Speler {i}", ROLES[i], 1)[1] for i in range(6)]
    outcome = turns.draw_card(db, seats[0], 1)
    card = next(iter(outcome.team_views.values()))["card"]
    assert card["kind"] == "dilemma" and len(card["choices"]) >= 3
    for seat in seats:
        turns.cast_vote(db, seat, 1, card["choices"][0]["value"])
    for author, stance, _taps, text in ARGUMENTS:
        turns.post_argument(db, seats[author], 1, int(stance), text, f"arg-{author}")
    with db.transaction() as s:
        ids = {r.client_id: r.id for r in s.scalars(select(ArgumentRecord))}
    for author, _stance, taps, _text in ARGUMENTS:
        tappers = [seat for i, seat in enumerate(seats) if i != author][:taps]
        for seat in tappers:
            turns.mark_helpful(db, seat, 1, ids[f"arg-{author}"])
    turns.start_decision(db, seats[0], 1)
    turns.record_decision(db, seats[0], 1, 1, "Toelichting", Action("Gesprek plannen", "HR", TODAY), TODAY)
    rooms.end_room(db, facilitator_id, code)
    return room_report(db, room_id_for_code(db, code), ReportOptions(min_group=5))


def test_arguments_are_ranked_by_nuttig_taps_and_quoted_grouped_by_option(report):
    quotes = report.cards[0].arguments
    assert [q.helpful for q in quotes] and {q.text: q.helpful for q in quotes} == {t: n for _, _, n, t in ARGUMENTS}
    # The four quoted on the card's page: one per option first (4 taps for B, 3 for A, then C), then the
    # next most tapped; shown grouped: B's two (4, 2 taps), A's (3), C's (0). The fifth (A, 1 tap) follows.
    assert [(q.stance, q.helpful) for q in quotes] == [("2", 4), ("2", 2), ("1", 3), ("3", 0), ("1", 1)]


def test_the_card_page_and_downloads_quote_them_in_that_order_without_authors(report):
    html = render(report, "html").body.decode()
    card = html[html.index('id="card-'):]
    order = [card.index(t) for t in ("B, omdat het werkt.", "B: eerst het gesprek voeren.",
                                     "A: zo houden we haar kennis binnen.", "C, en dit is verreweg")]
    assert order == sorted(order)
    assert "4 × nuttig" in card and "Speler" not in html
    data = json.loads(render(report, "json").body)
    assert [a["helpful"] for a in data["cards"][0]["arguments"]] == [4, 2, 3, 0, 1]
    assert "Speler" not in json.dumps(data)
