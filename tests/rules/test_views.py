"""What each viewer may see: votes stay secret until the reveal, and are never tied to a name."""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json

import pytest

from game.rules.cards import Card, CardKind
from game.rules.phases import Phase
from game.rules.turns import TeamState
from game.rules.views import ArgumentInfo, DecisionInfo, SeatInfo, TeamSnapshot, seat_view, team_view

ANNA, BAS, CEM = 11, 12, 13
DILEMMA = Card(key="d-01", kind=CardKind.DILEMMA, title="Een dilemma", text="Wat doe je nu?",
               options=("Praten", "Wachten", "HR vragen", "Teamgesprek"), prompts=("Waarom?", "Wat nu?"))
STATEMENT = Card(key="s-01", kind=CardKind.STATEMENT, title="Een stelling", text="Stelling: zo is het.", prompts=("Waarom?",))
# No dict anywhere in a team view may carry one of these: they would tie a vote to whoever holds the dict.
SECRET_KEYS = {"choice", "vote", "votes", "votes2", "my_vote", "my_first_vote", "my_second_vote", "prediction",
               "my_prediction", "voter", "voters", "player_id", "author", "author_id"}


def ballot(votes: dict[int, int | tuple[int, int]] | None) -> tuple:
    """{player: choice} or {player: (choice, prediction)} -> the snapshot's (player, choice, prediction) rows."""
    rows = []
    for pid, vote in (votes or {}).items():
        choice, prediction = vote if isinstance(vote, tuple) else (vote, None)
        rows.append((pid, choice, prediction))
    return tuple(rows)


def snapshot(phase: Phase = Phase.VOTE, votes: dict | None = None, votes2: dict | None = None, card: Card = DILEMMA,
             arguments: tuple[ArgumentInfo, ...] = (), decisions: tuple[DecisionInfo, ...] = (), **state: object) -> TeamSnapshot:
    """Anna, Bas and Cem in round 1 with Anna's turn; `votes` / `votes2` are the secret ballots."""
    in_round = phase not in (Phase.DRAW, Phase.FINISHED)
    current = votes2 if phase is Phase.REVOTE else votes
    team_state = TeamState(
        room_open=True, phase=phase, player_ids=(ANNA, BAS, CEM), rounds_done=0, cards_total=3,
        round_number=1 if in_round else None, card=card if in_round else None,
        turn_player_id=ANNA if in_round else None, voter_ids=frozenset(current or {}),
    )
    return TeamSnapshot(
        room_code="KM4TQ8ZA", room_title="MT-sessie", language="nl", roles=("HR", "MT-lid"),
        team_id=7, team_name="Team A", state=dataclasses.replace(team_state, **state),
        seats=(SeatInfo(ANNA, "Anna", "HR", True), SeatInfo(BAS, "Bas", "MT-lid", True), SeatInfo(CEM, "Cem", "HR", False)),
        votes=ballot(votes), votes2=ballot(votes2), arguments=arguments, decisions=decisions,
    )


def all_dicts(value: object):  # noqa: ANN201
    """Every dict inside a view, however deeply nested."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from all_dicts(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from all_dicts(v)


def counts(distribution: list[dict] | None) -> list[int] | None:
    return None if distribution is None else [d["count"] for d in distribution]


# --- before the reveal ---------------------------------------------------------------------------

def test_before_the_reveal_the_team_sees_who_voted_but_not_the_distribution():
    view = team_view(snapshot(Phase.VOTE, {ANNA: 2, BAS: 4}))
    assert view["distribution"] is None
    assert view["votes_cast"] == 2
    assert [(p["id"], p["voted"]) for p in view["players"]] == [(ANNA, True), (BAS, True), (CEM, False)]


def test_before_the_reveal_the_team_view_is_the_same_whatever_anyone_voted_or_predicted():
    views = [team_view(snapshot(Phase.VOTE, {ANNA: (a, p), BAS: b}))
             for a, b, p in itertools.product(range(1, 5), range(1, 5), (None, 1, 4))]
    assert all(view == views[0] for view in views)


@pytest.mark.parametrize("phase", [Phase.DRAW, Phase.FINISHED], ids=lambda p: p.value)
def test_outside_a_round_there_is_no_distribution_to_show(phase: Phase):
    view = team_view(snapshot(phase, {ANNA: 1, BAS: 2}, rounds_done=1 if phase is Phase.DRAW else 3))
    assert view["distribution"] is None and view["card"] is None


# --- the reveal ----------------------------------------------------------------------------------

@pytest.mark.parametrize("phase", [Phase.DISCUSS, Phase.DECIDE], ids=lambda p: p.value)
def test_after_the_reveal_the_team_sees_counts_per_option_in_order_zeros_included(phase: Phase):
    view = team_view(snapshot(phase, {ANNA: 2, BAS: 2, CEM: 4}))
    assert view["distribution"] == [{"value": 1, "count": 0}, {"value": 2, "count": 2},
                                    {"value": 3, "count": 0}, {"value": 4, "count": 1}]


def test_a_statement_distribution_covers_all_five_scale_points():
    view = team_view(snapshot(Phase.DISCUSS, {ANNA: 5, BAS: 1}, card=STATEMENT))
    assert counts(view["distribution"]) == [1, 0, 0, 0, 1]


def test_after_the_reveal_the_team_view_is_the_same_whichever_player_cast_which_vote():
    cast = ((1, 1), (3, 3), (3, 1))  # (choice, prediction)
    views = [team_view(snapshot(Phase.DISCUSS, dict(zip((ANNA, BAS, CEM), perm)))) for perm in itertools.permutations(cast)]
    assert all(view == views[0] for view in views)


def test_during_the_second_vote_both_distributions_are_hidden():
    view = team_view(snapshot(Phase.REVOTE, {ANNA: 1, BAS: 2, CEM: 2}, votes2={ANNA: 2}))
    assert view["distribution"] is None and view["distribution2"] is None
    assert view["votes_cast"] == 1


def test_while_deciding_the_team_sees_both_distributions():
    view = team_view(snapshot(Phase.DECIDE, {ANNA: 1, BAS: 2, CEM: 2}, votes2={ANNA: 2, BAS: 2, CEM: 2}))
    assert counts(view["distribution"]) == [1, 2, 0, 0]
    assert counts(view["distribution2"]) == [0, 3, 0, 0]


@pytest.mark.parametrize("phase", [Phase.DRAW, Phase.VOTE, Phase.DISCUSS, Phase.REVOTE, Phase.DECIDE, Phase.FINISHED],
                         ids=lambda p: p.value)
def test_no_team_view_ties_a_player_to_a_choice(phase: Phase):
    view = team_view(snapshot(phase, {ANNA: (1, 1), BAS: (3, 1), CEM: (4, 4)}, votes2={ANNA: 2, BAS: 3}))
    for d in all_dicts(view):
        assert not SECRET_KEYS & d.keys(), d
    for p in view["players"]:
        assert isinstance(p["voted"], bool)
    for d in (view["distribution"] or []) + (view.get("distribution2") or []):
        assert set(d) == {"value", "count"}


# --- the rest of the team screen -----------------------------------------------------------------

def test_arguments_on_the_team_screen_carry_no_author():
    args = (ArgumentInfo(1, ANNA, 1, "Eerst praten."), ArgumentInfo(2, BAS, None, "Wachten kan ook."))
    swapped = tuple(dataclasses.replace(a, player_id=CEM) for a in args)
    view = team_view(snapshot(Phase.DISCUSS, {ANNA: 1}, arguments=args))
    assert [(a["id"], a["stance"], a["text"]) for a in view["arguments"]] == [(1, 1, "Eerst praten."), (2, None, "Wachten kan ook.")]
    assert view == team_view(snapshot(Phase.DISCUSS, {ANNA: 1}, arguments=swapped))


def test_who_found_an_argument_helpful_is_counted_not_named():
    args = (ArgumentInfo(1, ANNA, 1, "Eerst praten.", helpful_by=frozenset({BAS, CEM})),)
    view = team_view(snapshot(Phase.DISCUSS, {ANNA: 1}, arguments=args))
    assert view["arguments"][0]["helpful"] == 2
    other = (dataclasses.replace(args[0], helpful_by=frozenset({ANNA, 99})),)
    assert view == team_view(snapshot(Phase.DISCUSS, {ANNA: 1}, arguments=other))


def test_while_drawing_no_card_is_shown_and_the_next_player_has_the_turn():
    view = team_view(snapshot(Phase.DRAW, rounds_done=1, card=DILEMMA))
    assert view["card"] is None
    assert view["round"] == 2
    assert view["turn_player_id"] == BAS


def test_during_a_round_the_card_shows_its_choices_with_labels():
    view = team_view(snapshot(Phase.VOTE))
    assert view["round"] == 1 and view["turn_player_id"] == ANNA
    assert view["card"]["choices"] == [{"value": i, "label": o} for i, o in enumerate(DILEMMA.options, 1)]
    assert view["card"]["prompts"] == list(DILEMMA.prompts)


def test_a_statement_card_is_labelled_with_the_dutch_scale():
    labels = [c["label"] for c in team_view(snapshot(Phase.VOTE, card=STATEMENT))["card"]["choices"]]
    assert labels == ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"]


def test_the_team_view_can_be_sent_as_json_with_decisions_and_their_actions():
    decision = DecisionInfo(1, "Een dilemma", None, None, "Geen overeenstemming", "Gesprekken plannen", "HR", dt.date(2026, 1, 31))
    view = team_view(snapshot(Phase.DRAW, rounds_done=1, decisions=(decision,)))
    assert json.loads(json.dumps(view))["decisions"] == [{
        "round": 1, "card_title": "Een dilemma", "position": None, "position_label": None, "rationale": "Geen overeenstemming",
        "action": {"what": "Gesprekken plannen", "owner": "HR", "due": "2026-01-31"},
    }]


# --- what only one seat sees ---------------------------------------------------------------------

def test_a_seat_sees_its_own_vote():
    snap = snapshot(Phase.VOTE, {ANNA: 2, BAS: 4})
    assert seat_view(snap, ANNA)["my_vote"] == 2
    assert seat_view(snap, BAS)["my_vote"] == 4


def test_a_seat_that_has_not_voted_sees_no_vote():
    assert seat_view(snapshot(Phase.VOTE, {ANNA: 2, BAS: 4}), CEM)["my_vote"] is None


def test_during_the_second_vote_a_seat_sees_its_second_vote_as_its_vote():
    snap = snapshot(Phase.REVOTE, {ANNA: 2, BAS: 4}, votes2={ANNA: 3})
    assert seat_view(snap, ANNA)["my_vote"] == 3
    assert seat_view(snap, BAS)["my_vote"] is None


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.DISCUSS, Phase.REVOTE, Phase.DECIDE], ids=lambda p: p.value)
def test_a_seat_view_is_the_same_whatever_the_others_voted(phase: Phase):
    views = [seat_view(snapshot(phase, {ANNA: (2, 1), BAS: (b, c), CEM: c}, votes2={ANNA: 3, BAS: c}), ANNA)
             for b, c in itertools.product(range(1, 5), repeat=2)]
    assert all(view == views[0] for view in views)
    assert (views[0]["player_id"], views[0]["name"], views[0]["my_prediction"]) == (ANNA, "Anna", 1)
    assert views[0]["my_vote"] == (3 if phase is Phase.REVOTE else 2)


def test_a_seat_sees_which_arguments_are_its_own():
    args = (ArgumentInfo(1, ANNA, 1, "Eerst praten."), ArgumentInfo(2, BAS, 2, "Wachten."), ArgumentInfo(3, ANNA, None, "Of HR."))
    snap = snapshot(Phase.DISCUSS, {ANNA: 1}, arguments=args)
    assert seat_view(snap, ANNA)["my_argument_ids"] == [1, 3]
    assert seat_view(snap, BAS)["my_argument_ids"] == [2]
    assert seat_view(snap, CEM)["my_argument_ids"] == []
