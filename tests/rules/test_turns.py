"""The rules of a team's round, judged on plain TeamState values: no Flask, no database, no clock."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from game.rules import turns
from game.rules.cards import Card, CardKind
from game.rules.errors import RuleViolation
from game.rules.phases import Move, Phase
from game.rules.settings import RoomSettings
from game.rules.turns import Action, Actor, TeamState

TODAY = dt.date(2025, 5, 14)  # rules take the date as an argument; a fixed one keeps tests exact
ROLES = ("Bestuurder / directeur", "MT-lid", "Leidinggevende", "HR", "Medewerker", "OR-lid")
ANNA, BAS, CEM, OUTSIDER = 1, 2, 3, 99
FACILITATOR = Actor(is_facilitator=True)


def player(player_id: int) -> Actor:
    return Actor(player_id=player_id)


def dilemma(options: int = 3) -> Card:
    return Card(key="d-01", kind=CardKind.DILEMMA, title="Een dilemma", text="Wat doe je nu?",
                options=tuple(f"Optie {i}" for i in range(1, options + 1)), prompts=("Waarom?",))


def statement() -> Card:
    return Card(key="s-01", kind=CardKind.STATEMENT, title="Een stelling", text="Stelling: zo is het.",
                prompts=("Waarom?",))


def team(phase: Phase = Phase.VOTE, **changes: object) -> TeamState:
    """Anna, Bas and Cem in round 1 of 3 with Anna's turn; a card is on the table unless drawing."""
    base = TeamState(room_open=True, phase=phase, player_ids=(ANNA, BAS, CEM), rounds_done=0, cards_total=3)
    if phase not in (Phase.DRAW, Phase.FINISHED):
        base = dataclasses.replace(base, round_number=1, card=dilemma(), turn_player_id=ANNA)
    return dataclasses.replace(base, **changes)


def refused(code: str):  # noqa: ANN201
    """pytest.raises for a RuleViolation with exactly this code."""
    return pytest.raises(RuleViolation, match=f"^{code}: ")


# Each move tried with arguments that are valid in its own phase, so only phase and actor decide.
ATTEMPTS = {
    Move.DRAW_CARD: lambda s, a: turns.draw_card(s, a, 1),
    Move.CAST_VOTE: lambda s, a: turns.cast_vote(s, a, 1, 1),
    Move.CLOSE_VOTE: lambda s, a: turns.close_vote(s, a, 1),
    Move.POST_ARGUMENT: lambda s, a: turns.post_argument(s, a, 1, None, "Een argument."),
    Move.MARK_HELPFUL: lambda s, a: turns.mark_helpful(s, a, 1, author_id=CEM),
    Move.START_REVOTE: lambda s, a: turns.start_revote(s, a, 1),
    Move.START_DECISION: lambda s, a: turns.start_decision(s, a, 1),
    Move.RECORD_DECISION: lambda s, a: turns.record_decision(s, a, 1, None, "", None, ROLES, TODAY),
    Move.SKIP_CARD: lambda s, a: turns.skip_card(s, a, 1),
}
PHASES = (Phase.DRAW, Phase.VOTE, Phase.DISCUSS, Phase.REVOTE, Phase.DECIDE, Phase.FINISHED)
LEGAL_IN = {
    Move.DRAW_CARD: (Phase.DRAW,),
    Move.CAST_VOTE: (Phase.VOTE, Phase.REVOTE),
    Move.CLOSE_VOTE: (Phase.VOTE, Phase.REVOTE),
    Move.POST_ARGUMENT: (Phase.DISCUSS, Phase.DECIDE),
    Move.MARK_HELPFUL: (Phase.DISCUSS, Phase.DECIDE),
    Move.START_REVOTE: (Phase.DISCUSS,),
    Move.START_DECISION: (Phase.DISCUSS,),
    Move.RECORD_DECISION: (Phase.DECIDE,),
    Move.SKIP_CARD: (Phase.VOTE, Phase.DISCUSS, Phase.REVOTE, Phase.DECIDE),
}
AREA = {Move.DRAW_CARD: "draw", Move.CAST_VOTE: "vote", Move.CLOSE_VOTE: "vote", Move.POST_ARGUMENT: "argument",
        Move.MARK_HELPFUL: "argument", Move.START_REVOTE: "revote", Move.START_DECISION: "decide",
        Move.RECORD_DECISION: "decide", Move.SKIP_CARD: "skip"}
# Who besides the turn player may make a move: any player of the team, and/or the facilitator.
ANY_PLAYER = {Move.CAST_VOTE, Move.POST_ARGUMENT, Move.MARK_HELPFUL}
FACILITATOR_MAY = {Move.DRAW_CARD, Move.CLOSE_VOTE, Move.START_REVOTE, Move.START_DECISION, Move.SKIP_CARD}
MOVES = list(ATTEMPTS)


def ready(phase: Phase) -> TeamState:
    """A state in `phase` where Anna (the turn player) could make any legal move; Bas has voted."""
    return team(phase, voter_ids=frozenset({BAS}) if phase in (Phase.VOTE, Phase.REVOTE) else frozenset())


def by_value(v: object) -> str:
    return getattr(v, "value", str(v))


# --- phases: which move fits which phase ---------------------------------------------------------

@pytest.mark.parametrize("phase", PHASES, ids=by_value)
@pytest.mark.parametrize("move", MOVES, ids=by_value)
def test_a_move_is_accepted_only_in_its_own_phases(move: Move, phase: Phase):
    actor = FACILITATOR if move is Move.SKIP_CARD else player(ANNA)
    attempt = ATTEMPTS[move]
    if phase in LEGAL_IN[move]:
        attempt(ready(phase), actor)
    else:
        with refused(f"{AREA[move]}/wrong_phase"):
            attempt(ready(phase), actor)


@pytest.mark.parametrize("move, phase, next_phase", [
    (Move.DRAW_CARD, Phase.DRAW, Phase.VOTE),
    (Move.CLOSE_VOTE, Phase.VOTE, Phase.DISCUSS),
    (Move.START_REVOTE, Phase.DISCUSS, Phase.REVOTE),
    (Move.CLOSE_VOTE, Phase.REVOTE, Phase.DECIDE),
    (Move.START_DECISION, Phase.DISCUSS, Phase.DECIDE),
    (Move.RECORD_DECISION, Phase.DECIDE, Phase.DRAW),
    (Move.SKIP_CARD, Phase.VOTE, Phase.DRAW),
], ids=by_value)
def test_each_phase_changing_move_leads_to_the_next_phase(move: Move, phase: Phase, next_phase: Phase):
    actor = FACILITATOR if move is Move.SKIP_CARD else player(ANNA)
    assert ATTEMPTS[move](ready(phase), actor) is next_phase


def test_a_vote_after_reveal_is_refused():
    with refused("vote/wrong_phase"):
        turns.cast_vote(team(Phase.DISCUSS), player(BAS), 1, 2)


def test_nothing_can_be_done_once_all_cards_are_played():
    finished = team(Phase.FINISHED, rounds_done=3)
    for move, attempt in ATTEMPTS.items():
        with refused(f"{AREA[move]}/wrong_phase"):
            attempt(finished, FACILITATOR if move is Move.SKIP_CARD else player(ANNA))


def test_the_second_vote_is_skipped_when_the_room_has_it_off():
    state = team(Phase.DISCUSS, settings=RoomSettings(second_vote=False))
    with refused("revote/off"):
        turns.start_revote(state, player(ANNA), 1)
    assert turns.start_decision(state, player(ANNA), 1) is Phase.DECIDE


def test_skipping_the_last_card_finishes_the_game():
    assert turns.skip_card(team(Phase.VOTE, rounds_done=2, round_number=3), FACILITATOR, 3) is Phase.FINISHED


# --- who may move --------------------------------------------------------------------------------

@pytest.mark.parametrize("move", MOVES, ids=by_value)
def test_the_turn_player_may_make_every_move_of_the_phase_but_skipping_a_card(move: Move):
    for phase in LEGAL_IN[move]:
        if move is Move.SKIP_CARD:
            with refused("skip/not_allowed"):
                ATTEMPTS[move](ready(phase), player(ANNA))
        else:
            ATTEMPTS[move](ready(phase), player(ANNA))


@pytest.mark.parametrize("move", MOVES, ids=by_value)
def test_another_player_may_only_vote_argue_and_mark_arguments_helpful(move: Move):
    for phase in LEGAL_IN[move]:
        if move in ANY_PLAYER:
            ATTEMPTS[move](ready(phase), player(BAS))
        else:
            code = "skip/not_allowed" if move is Move.SKIP_CARD else f"{AREA[move]}/not_your_turn"
            with refused(code):
                ATTEMPTS[move](ready(phase), player(BAS))


@pytest.mark.parametrize("move", MOVES, ids=by_value)
def test_the_facilitator_may_drive_the_round_but_never_vote_argue_or_decide(move: Move):
    for phase in LEGAL_IN[move]:
        if move in FACILITATOR_MAY:
            ATTEMPTS[move](ready(phase), FACILITATOR)
        else:
            with refused(f"{AREA[move]}/not_allowed"):
                ATTEMPTS[move](ready(phase), FACILITATOR)


@pytest.mark.parametrize("move", MOVES, ids=by_value)
def test_a_player_of_another_team_may_make_no_move(move: Move):
    for phase in LEGAL_IN[move]:
        with refused("seat/not_in_team"):
            ATTEMPTS[move](ready(phase), player(OUTSIDER))


@pytest.mark.parametrize("move", MOVES, ids=by_value)
def test_a_closed_room_refuses_every_move_even_in_the_right_phase(move: Move):
    for phase in LEGAL_IN[move]:
        for actor in (player(ANNA), FACILITATOR):
            with refused("room/closed"):
                ATTEMPTS[move](dataclasses.replace(ready(phase), room_open=False), actor)


def test_a_closed_room_says_closed_rather_than_wrong_phase():
    with refused("room/closed"):
        turns.cast_vote(team(Phase.FINISHED, room_open=False), player(BAS), 1, 1)


def test_a_paused_room_stops_the_players_but_not_the_facilitator():
    state = dataclasses.replace(ready(Phase.VOTE), paused=True)
    for actor, move in [(player(BAS), Move.CAST_VOTE), (player(ANNA), Move.CLOSE_VOTE)]:
        with refused("room/paused"):
            ATTEMPTS[move](state, actor)
    assert turns.close_vote(state, FACILITATOR, 1) is Phase.DISCUSS


def test_in_plenary_pacing_only_the_facilitator_moves_the_round_on():
    plenary = RoomSettings(pacing="plenary")
    with refused("draw/facilitator_drives"):
        turns.draw_card(team(Phase.DRAW, settings=plenary), player(ANNA), 1)
    with refused("decide/facilitator_drives"):
        turns.start_decision(team(Phase.DISCUSS, settings=plenary), player(ANNA), 1)
    assert turns.draw_card(team(Phase.DRAW, settings=plenary), FACILITATOR, 1) is Phase.VOTE
    assert turns.cast_vote(team(Phase.VOTE, settings=plenary), player(BAS), 1, 2) is False


def test_nobody_marks_their_own_argument_helpful():
    with refused("argument/own"):
        turns.mark_helpful(team(Phase.DISCUSS), player(CEM), 1, author_id=CEM)


# --- stale rounds --------------------------------------------------------------------------------

@pytest.mark.parametrize("move", MOVES, ids=by_value)
def test_a_move_for_another_round_is_refused_as_stale(move: Move):
    phase = LEGAL_IN[move][0]
    # Round 2 is in play (or about to be drawn); the message was meant for round 1.
    state = dataclasses.replace(ready(phase), rounds_done=1, round_number=None if phase is Phase.DRAW else 2,
                                turn_player_id=None if phase is Phase.DRAW else BAS)
    actor = FACILITATOR if move is Move.SKIP_CARD else player(BAS)  # Bas has the turn in round 2
    with refused(f"{AREA[move]}/stale_round"):
        ATTEMPTS[move](state, actor)


def test_a_vote_for_a_future_round_is_refused_as_stale():
    with refused("vote/stale_round"):
        turns.cast_vote(team(), player(BAS), 2, 1)


def test_drawing_is_refused_when_no_cards_are_left():
    with refused("draw/no_cards_left"):
        turns.draw_card(team(Phase.DRAW, rounds_done=3, cards_total=3), player(ANNA), 4)


# --- votes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("options", [2, 3, 4])
def test_a_dilemma_accepts_exactly_its_option_numbers(options: int):
    state = team(card=dilemma(options))
    for choice in range(1, options + 1):
        turns.cast_vote(state, player(BAS), 1, choice)
    for choice in (0, options + 1, 5, -1):
        with refused("vote/invalid_choice"):
            turns.cast_vote(state, player(BAS), 1, choice)


def test_a_statement_accepts_the_five_scale_points():
    state = team(card=statement())
    for choice in (1, 2, 3, 4, 5):
        turns.cast_vote(state, player(BAS), 1, choice)
    for choice in (0, 6, -3):
        with refused("vote/invalid_choice"):
            turns.cast_vote(state, player(BAS), 1, choice)


def test_a_vote_is_not_complete_while_someone_has_not_voted():
    assert turns.cast_vote(team(voter_ids=frozenset({ANNA})), player(BAS), 1, 1) is False


def test_the_last_player_to_vote_completes_the_vote_so_it_is_revealed():
    assert turns.cast_vote(team(voter_ids=frozenset({ANNA, BAS})), player(CEM), 1, 1) is True


def test_changing_a_vote_does_not_complete_the_team_vote():
    assert turns.cast_vote(team(voter_ids=frozenset({ANNA, BAS})), player(BAS), 1, 2) is False


def test_a_player_who_joined_during_the_card_votes_from_the_next_card_on():
    state = team(player_ids=(ANNA, BAS, CEM, 4), eligible_ids=frozenset({ANNA, BAS, CEM}))
    with refused("vote/next_card"):
        turns.cast_vote(state, player(4), 1, 1)


def test_the_last_vote_of_those_seated_at_the_draw_completes_the_vote_without_latecomers():
    state = team(player_ids=(ANNA, BAS, CEM, 4), eligible_ids=frozenset({ANNA, BAS, CEM}), voter_ids=frozenset({ANNA, BAS}))
    assert turns.cast_vote(state, player(CEM), 1, 3) is True


def test_a_player_who_left_during_the_card_is_not_waited_for():
    state = team(player_ids=(ANNA, BAS), eligible_ids=frozenset({ANNA, BAS, CEM}), voter_ids=frozenset({ANNA}))
    assert turns.cast_vote(state, player(BAS), 1, 1) is True


@pytest.mark.parametrize("card, good, bad", [
    (dilemma(3), (1, 2, 3), (0, 4, -1)),
    (statement(), (-1, 0, 1), (2, 5, 3)),
], ids=["dilemma", "statement"])
def test_a_prediction_names_an_option_of_a_dilemma_or_a_side_of_a_statement(card: Card, good: tuple, bad: tuple):
    state = team(card=card)
    for prediction in good:
        turns.cast_vote(state, player(BAS), 1, 1, prediction)
    for prediction in bad:
        with refused("vote/invalid_prediction"):
            turns.cast_vote(state, player(BAS), 1, 1, prediction)


def test_no_prediction_goes_with_the_second_vote_or_in_a_room_without_predictions():
    with refused("vote/no_predictions"):
        turns.cast_vote(team(Phase.REVOTE), player(BAS), 1, 1, 2)
    with refused("vote/no_predictions"):
        turns.cast_vote(team(settings=RoomSettings(predictions=False)), player(BAS), 1, 1, 2)


def test_a_team_without_players_cannot_draw():
    with refused("draw/no_players"):
        turns.draw_card(team(Phase.DRAW, player_ids=()), FACILITATOR, 1)


def test_closing_a_vote_nobody_has_voted_in_is_refused():
    with refused("vote/no_votes"):
        turns.close_vote(team(voter_ids=frozenset()), player(ANNA), 1)


def test_closing_a_vote_with_one_vote_reveals_it():
    assert turns.close_vote(team(voter_ids=frozenset({CEM})), player(ANNA), 1) is Phase.DISCUSS


# --- arguments -----------------------------------------------------------------------------------

def test_an_argument_on_a_dilemma_may_take_the_side_of_an_option_or_none():
    state = team(Phase.DISCUSS, card=dilemma(3))
    for stance in (1, 2, 3, None):
        turns.post_argument(state, player(BAS), 1, stance, "Een goed argument.")


@pytest.mark.parametrize("stance", [0, 4, "for", "against", "1", True], ids=repr)
def test_an_argument_on_a_dilemma_refuses_a_stance_that_is_not_an_option(stance: object):
    with refused("argument/invalid_stance"):
        turns.post_argument(team(Phase.DISCUSS, card=dilemma(3)), player(BAS), 1, stance, "Een argument.")


def test_an_argument_on_a_statement_is_for_against_or_neither():
    state = team(Phase.DISCUSS, card=statement())
    for stance in ("for", "against", None):
        turns.post_argument(state, player(BAS), 1, stance, "Een goed argument.")


@pytest.mark.parametrize("stance", [1, 3, "eens", "FOR", True], ids=repr)
def test_an_argument_on_a_statement_refuses_a_scale_point_as_stance(stance: object):
    with refused("argument/invalid_stance"):
        turns.post_argument(team(Phase.DISCUSS, card=statement()), player(BAS), 1, stance, "Een argument.")


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"], ids=repr)
def test_an_empty_argument_is_refused(text: str):
    with refused("argument/empty"):
        turns.post_argument(team(Phase.DISCUSS), player(BAS), 1, None, text)


def test_an_argument_of_280_characters_fits_and_281_is_too_long():
    state = team(Phase.DISCUSS)
    assert len(turns.post_argument(state, player(BAS), 1, None, "x" * 280)) == 280
    with refused("argument/too_long"):
        turns.post_argument(state, player(BAS), 1, None, "x" * 281)


def test_whitespace_in_an_argument_is_normalised_before_it_is_measured():
    state = team(Phase.DECIDE)
    assert turns.post_argument(state, player(BAS), 1, 2, "  Eerst\n\npraten,\tdan   beslissen.  ") == "Eerst praten, dan beslissen."
    padded = "  " + "y" * 280 + "\n\n   "
    assert turns.post_argument(state, player(BAS), 1, None, padded) == "y" * 280


# --- decisions -----------------------------------------------------------------------------------

def decide(state: TeamState | None = None, position: int | None = 1, rationale: str = "",
           action: Action | None = None, actor: Actor = player(ANNA)) -> Phase:
    state = state or team(Phase.DECIDE)
    return turns.record_decision(state, actor, state.round_number, position, rationale, action, ROLES, TODAY)


def act(what: str = "Gesprekken plannen", owner: str = "HR", due: dt.date = TODAY + dt.timedelta(days=30)) -> Action:
    return Action(what=what, owner=owner, due=due)


@pytest.mark.parametrize("options", [2, 4])
def test_a_decision_takes_one_of_the_cards_choices(options: int):
    state = team(Phase.DECIDE, card=dilemma(options))
    for position in range(1, options + 1):
        assert decide(state, position) is Phase.DRAW
    with refused("decide/invalid_position"):
        decide(state, options + 1)


def test_a_statement_decision_takes_a_scale_point():
    state = team(Phase.DECIDE, card=statement())
    assert decide(state, 5) is Phase.DRAW
    with refused("decide/invalid_position"):
        decide(state, 6)


def test_no_agreement_is_recorded_as_no_position():
    assert decide(position=None) is Phase.DRAW


def test_deciding_the_last_card_finishes_the_game():
    assert decide(team(Phase.DECIDE, rounds_done=2, round_number=3, cards_total=3)) is Phase.FINISHED


def test_deciding_a_card_before_the_last_goes_back_to_drawing():
    assert decide(team(Phase.DECIDE, rounds_done=1, round_number=2, cards_total=3)) is Phase.DRAW


def test_a_rationale_is_measured_after_whitespace_is_normalised():
    assert decide(rationale="  " + "r" * 200 + "  \n ") is Phase.DRAW
    with refused("decide/rationale_too_long"):
        decide(rationale="r" * 201)


def test_the_decision_is_checked_for_the_turn_player_only():
    with refused("decide/not_your_turn"):
        decide(actor=player(CEM))


# --- follow-up actions ---------------------------------------------------------------------------

@pytest.mark.parametrize("owner", ["HR", "Leidinggevende", "Bestuurder / directeur", "OR-lid"])
def test_an_action_may_be_owned_by_a_role_of_the_room(owner: str):
    turns.check_action(act(owner=owner), ROLES, TODAY)


@pytest.mark.parametrize("owner", ["AB", "A.B.", "JdV", "JvdB", "J", "P.d.V."])
def test_an_action_may_be_owned_by_initials(owner: str):
    turns.check_action(act(owner=owner), ROLES, TODAY)


@pytest.mark.parametrize("owner", ["teamleider", "hr", "Teamleider", "Hoofd Personeelszaken", "Manager Finance",
                                   "afdelingshoofd inkoop", "HR-adviseur", "de controller", "Leidinggevende"])
def test_an_action_may_be_owned_by_any_role_or_function_title(owner: str):
    turns.check_action(act(owner=owner), ("HR",), TODAY)


@pytest.mark.parametrize("owner", ["Jan de Vries", "J. de Vries", "Piet Jansen", "Anna Smit", "Marieke van der Berg",
                                   "J.P. Balkenende", "", "   "])
def test_an_action_is_never_owned_by_a_full_personal_name(owner: str):
    with refused("decide/invalid_owner"):
        turns.check_action(act(owner=owner), ROLES, TODAY)


def test_an_action_due_today_or_within_three_years_is_accepted():
    for due in (TODAY, TODAY + dt.timedelta(days=1), TODAY.replace(year=TODAY.year + 3)):
        turns.check_action(act(due=due), ROLES, TODAY)


def test_an_action_due_in_the_past_is_refused():
    with refused("decide/due_in_past"):
        turns.check_action(act(due=TODAY - dt.timedelta(days=1)), ROLES, TODAY)


@pytest.mark.parametrize("due", [TODAY.replace(year=TODAY.year + 3) + dt.timedelta(days=7), TODAY.replace(year=TODAY.year + 4),
                                 dt.date(9999, 12, 31)], ids=str)
def test_an_action_due_more_than_three_years_ahead_is_refused(due: dt.date):
    with refused("decide/due_too_far"):
        turns.check_action(act(due=due), ROLES, TODAY)


@pytest.mark.parametrize("what", ["", "   ", "\n"], ids=repr)
def test_an_action_without_a_description_is_refused(what: str):
    with refused("decide/action_empty"):
        turns.check_action(act(what=what), ROLES, TODAY)


def test_an_action_description_longer_than_200_characters_is_refused():
    turns.check_action(act(what="w" * 200), ROLES, TODAY)
    with refused("decide/action_too_long"):
        turns.check_action(act(what="w" * 201), ROLES, TODAY)


def test_a_decision_with_an_invalid_action_is_refused():
    with refused("decide/invalid_owner"):
        decide(action=act(owner="Piet Jansen"))
    assert decide(action=act(owner="JdV")) is Phase.DRAW


# --- turn rotation -------------------------------------------------------------------------------

def test_turns_rotate_through_the_team_in_seat_order():
    order = [team(Phase.DRAW, rounds_done=n).next_turn_player() for n in range(7)]
    assert order == [ANNA, BAS, CEM, ANNA, BAS, CEM, ANNA]


def test_a_team_without_players_has_no_turn_player():
    assert team(Phase.DRAW, player_ids=()).next_turn_player() is None


def test_only_the_next_player_in_rotation_may_draw():
    second_round = team(Phase.DRAW, rounds_done=1)
    assert turns.draw_card(second_round, player(BAS), 2) is Phase.VOTE
    for other in (ANNA, CEM):
        with refused("draw/not_your_turn"):
            turns.draw_card(second_round, player(other), 2)


def test_the_turn_of_a_drawn_round_stays_with_whoever_drew_it():
    # Bas drew round 2; closing the vote is his, even if seat order would now point elsewhere.
    state = team(Phase.VOTE, rounds_done=1, round_number=2, turn_player_id=BAS, voter_ids=frozenset({ANNA}))
    assert turns.close_vote(state, player(BAS), 2) is Phase.DISCUSS
    with refused("vote/not_your_turn"):
        turns.close_vote(state, player(ANNA), 2)


# --- quorum before the first card, presence in "x of y" ---------------------------------------------

def test_a_lone_player_cannot_draw_the_first_card_before_the_quorum():
    with refused("draw/quorum"):
        turns.draw_card(team(Phase.DRAW, player_ids=(ANNA,)), player(ANNA), 1)


def test_the_first_card_can_be_drawn_once_the_quorum_is_seated():
    assert turns.draw_card(team(Phase.DRAW, player_ids=(ANNA, BAS)), player(ANNA), 1) is Phase.VOTE


def test_the_facilitator_starts_a_table_below_the_quorum_by_hand():
    assert turns.draw_card(team(Phase.DRAW, player_ids=(ANNA,)), FACILITATOR, 1) is Phase.VOTE


def test_the_quorum_is_a_room_setting_and_only_holds_the_first_card():
    three = team(Phase.DRAW, player_ids=(ANNA, BAS), settings=RoomSettings(team_quorum=3))
    with refused("draw/quorum"):
        turns.draw_card(three, player(ANNA), 1)
    later = team(Phase.DRAW, player_ids=(ANNA,), rounds_done=1, settings=RoomSettings(team_quorum=3))
    assert turns.draw_card(later, player(ANNA), 2) is Phase.VOTE


def test_an_offline_tablet_does_not_hold_up_the_automatic_reveal():
    state = team(voter_ids=frozenset({ANNA}), present_ids=frozenset({ANNA, BAS}))
    assert state.voters_needed() == {ANNA, BAS}
    assert turns.cast_vote(state, player(BAS), 1, 2, prediction=1) is True


def test_a_player_who_voted_and_went_offline_still_counts_in_x_of_y():
    state = team(voter_ids=frozenset({CEM}), present_ids=frozenset({ANNA}))
    assert state.voters_needed() == {ANNA, CEM}
    assert turns.cast_vote(state, player(ANNA), 1, 2) is True


def test_an_offline_player_may_still_vote_before_the_reveal():
    state = team(voter_ids=frozenset({ANNA}), present_ids=frozenset({ANNA, BAS}))
    assert turns.cast_vote(state, player(CEM), 1, 2) is False  # Bas has not voted yet


def test_without_presence_every_eligible_player_is_needed():
    assert team().voters_needed() == {ANNA, BAS, CEM}


# --- an absent turn player: the next present player stands in ------------------------------------

TURN_ONLY = [m for m in MOVES if m not in ANY_PLAYER and m is not Move.SKIP_CARD]


@pytest.mark.parametrize("move", TURN_ONLY, ids=by_value)
def test_while_the_turn_players_tablet_is_away_the_next_present_player_makes_the_turn_moves(move: Move):
    for phase in LEGAL_IN[move]:
        anna_away = dataclasses.replace(ready(phase), present_ids=frozenset({BAS, CEM}))
        ATTEMPTS[move](anna_away, player(BAS))  # Bas sits after Anna
        with refused(f"{AREA[move]}/not_your_turn"):
            ATTEMPTS[move](anna_away, player(CEM))  # one stand-in, not everyone
        with refused(f"{AREA[move]}/not_your_turn"):
            ATTEMPTS[move](anna_away, player(ANNA))  # a stale tablet of Anna's: she counts as away
        anna_back = dataclasses.replace(ready(phase), present_ids=frozenset({ANNA, BAS, CEM}))
        with refused(f"{AREA[move]}/not_your_turn"):
            ATTEMPTS[move](anna_back, player(BAS))  # the turn is hers again


def test_the_stand_in_is_the_next_present_player_in_seat_order_wrapping_round():
    state = team(Phase.DISCUSS, turn_player_id=CEM, present_ids=frozenset({ANNA, BAS}))
    assert state.acting_turn_player() == ANNA  # after Cem comes Anna
    assert dataclasses.replace(state, present_ids=frozenset({BAS})).acting_turn_player() == BAS
    # Nobody of the team present (the facilitator's view): the turn player keeps it.
    assert dataclasses.replace(state, present_ids=frozenset({OUTSIDER})).acting_turn_player() == CEM
    # Presence unknown: the turn player alone, as before.
    assert dataclasses.replace(state, present_ids=None).acting_turn_player() == CEM


def test_drawing_passes_over_an_absent_player_without_losing_the_rotation():
    # Round 2 is Bas's to draw; Bas is away, so Cem draws. Round 3 is still Cem's by seat order.
    state = team(Phase.DRAW, rounds_done=1, present_ids=frozenset({ANNA, CEM}))
    assert state.next_turn_player() == BAS and state.acting_turn_player() == CEM
    turns.draw_card(state, player(CEM), 2)
    assert dataclasses.replace(state, rounds_done=2).next_turn_player() == CEM
