"""Second vote, predictions, plenary pacing, pause, late joiners, observers: the pure rules."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from game.rules import turns
from game.rules.cards import Card, CardKind
from game.rules.errors import RuleViolation
from game.rules.phases import Phase
from game.rules.settings import RoomSettings
from game.rules.turns import Actor, TeamState

CARD = Card("k1", CardKind.DILEMMA, "Titel", "Een dilemma van tien tekens.", ("A", "B", "C"), ("Vraag?",))
STATEMENT = Card("k2", CardKind.STATEMENT, "Titel", "Een stelling van tien tekens.", (), ("Vraag?",))
ANNA, BAS, CEM = 1, 2, 3
FACILITATOR = Actor(is_facilitator=True)


def state(phase: Phase = Phase.VOTE, **kw) -> TeamState:
    base = dict(room_open=True, phase=phase, player_ids=(ANNA, BAS, CEM), rounds_done=0, cards_total=3,
                round_number=1, card=CARD, turn_player_id=ANNA)
    base.update(kw)
    return TeamState(**base)


def test_the_second_vote_follows_the_discussion_and_leads_to_the_decision():
    assert turns.start_revote(state(Phase.DISCUSS), Actor(ANNA), 1) is Phase.REVOTE
    revote = state(Phase.REVOTE, voter_ids=frozenset({BAS}))
    assert revote.ballot == 2
    assert turns.close_vote(revote, Actor(ANNA), 1) is Phase.DECIDE


def test_the_second_vote_is_refused_when_the_room_has_it_off():
    with pytest.raises(RuleViolation) as exc:
        turns.start_revote(state(Phase.DISCUSS, settings=RoomSettings(second_vote=False)), Actor(ANNA), 1)
    assert exc.value.code == "revote/off"


def test_a_prediction_names_an_option_of_a_dilemma_or_a_side_of_a_statement():
    assert turns.cast_vote(state(), Actor(BAS), 1, 2, prediction=3) is False
    with pytest.raises(RuleViolation) as exc:
        turns.cast_vote(state(), Actor(BAS), 1, 2, prediction=4)
    assert exc.value.code == "vote/invalid_prediction"
    turns.cast_vote(state(card=STATEMENT), Actor(BAS), 1, 4, prediction=-1)
    with pytest.raises(RuleViolation):
        turns.cast_vote(state(card=STATEMENT), Actor(BAS), 1, 4, prediction=2)


def test_no_prediction_with_the_second_vote_or_when_predictions_are_off():
    for s in (state(Phase.REVOTE), state(settings=RoomSettings(predictions=False))):
        with pytest.raises(RuleViolation) as exc:
            turns.cast_vote(s, Actor(BAS), 1, 2, prediction=1)
        assert exc.value.code == "vote/no_predictions"


def test_in_plenary_pacing_the_facilitator_drives_and_the_turn_player_may_not():
    plenary = RoomSettings(pacing="plenary")
    with pytest.raises(RuleViolation) as exc:
        turns.draw_card(state(Phase.DRAW, round_number=None, card=None, settings=plenary), Actor(ANNA), 1)
    assert exc.value.code == "draw/facilitator_drives"
    assert turns.draw_card(state(Phase.DRAW, round_number=None, card=None, settings=plenary), FACILITATOR, 1) is Phase.VOTE
    # Deciding stays with the team's turn player.
    assert turns.record_decision(state(Phase.DECIDE, settings=plenary), Actor(ANNA), 1, 1, "", None, (), dt.date.today())


def test_a_paused_room_refuses_players_but_not_the_facilitator():
    paused = state(paused=True, voter_ids=frozenset({BAS}))
    with pytest.raises(RuleViolation) as exc:
        turns.cast_vote(paused, Actor(CEM), 1, 1)
    assert exc.value.code == "room/paused"
    assert turns.close_vote(paused, FACILITATOR, 1) is Phase.DISCUSS


def test_a_late_joiner_votes_from_the_next_card_and_does_not_hold_up_the_reveal():
    late = 4
    s = state(player_ids=(ANNA, BAS, CEM, late), eligible_ids=frozenset({ANNA, BAS, CEM}), voter_ids=frozenset({ANNA, BAS}))
    with pytest.raises(RuleViolation) as exc:
        turns.cast_vote(s, Actor(late), 1, 1)
    assert exc.value.code == "vote/next_card"
    assert turns.cast_vote(s, Actor(CEM), 1, 1) is True  # complete without the late joiner


def test_only_the_facilitator_skips_a_card_and_the_last_skip_finishes():
    with pytest.raises(RuleViolation) as exc:
        turns.skip_card(state(), Actor(ANNA), 1)
    assert exc.value.code == "skip/not_allowed"
    assert turns.skip_card(state(), FACILITATOR, 1) is Phase.DRAW
    assert turns.skip_card(state(rounds_done=2, round_number=3), FACILITATOR, 3) is Phase.FINISHED


def test_you_cannot_mark_your_own_argument_helpful():
    with pytest.raises(RuleViolation) as exc:
        turns.mark_helpful(state(Phase.DISCUSS), Actor(ANNA), 1, author_id=ANNA)
    assert exc.value.code == "argument/own"
    turns.mark_helpful(state(Phase.DISCUSS), Actor(BAS), 1, author_id=ANNA)


def test_comfort_is_asked_about_the_decision_just_recorded():
    s = dataclasses.replace(state(Phase.DRAW, round_number=None, card=None, rounds_done=1), settings=RoomSettings(comfort=True))
    turns.check_comfort(s, Actor(BAS), 1, 2)
    for rnd, score, code in ((2, 3, "comfort/stale_round"), (1, 6, "comfort/invalid_score")):
        with pytest.raises(RuleViolation) as exc:
            turns.check_comfort(s, Actor(BAS), rnd, score)
        assert exc.value.code == code
    with pytest.raises(RuleViolation) as exc:
        turns.check_comfort(dataclasses.replace(s, settings=RoomSettings()), Actor(BAS), 1, 3)
    assert exc.value.code == "comfort/off"
