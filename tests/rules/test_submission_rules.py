"""Own dilemmas, comfort flags and the facilitator's next step: pure rules."""
from __future__ import annotations

import pytest

from game.decks import CardSchema
from game.rules.alerts import comfort_alerts, comfort_flags
from game.rules.cards import CardKind
from game.rules.errors import RuleViolation
from game.rules.phases import Move, Phase, advance_move
from game.rules.submissions import MAX_PER_PLAYER, check_review, check_submission, kind_of

TEXT = "Een medewerker wil een half jaar bij een andere organisatie werken. Wat doe je?"


def code_of(**kwargs) -> str:
    args = {"title": "Een half jaar weg", "text": TEXT, "kind": "dilemma", "options": ["Ja", "Nee"], **kwargs}
    with pytest.raises(RuleViolation) as exc:
        check_submission(**args)
    return exc.value.code


def test_a_dilemma_is_normalised_and_keeps_its_options_in_order():
    s = check_submission("  Een half   jaar weg ", TEXT, "dilemma", ["Ja ", "", " Nee, niet nu"])
    assert (s.title, s.kind, s.options) == ("Een half jaar weg", CardKind.DILEMMA, ("Ja", "Nee, niet nu"))


def test_a_statement_has_no_options_and_its_kind_follows_from_that():
    s = check_submission("Thuiswerken is werken", TEXT, "statement", ["", "  "])
    assert s.options == () and kind_of(list(s.options)) is CardKind.STATEMENT
    assert kind_of(["a", "b"]) is CardKind.DILEMMA


@pytest.mark.parametrize("kwargs, code", [
    ({"title": "Hm"}, "submission/invalid_title"),
    ({"title": "x" * 81}, "submission/invalid_title"),
    ({"text": "Te kort"}, "submission/invalid_text"),
    ({"text": "x" * 601}, "submission/invalid_text"),
    ({"kind": "vraag"}, "submission/invalid_kind"),
    ({"options": ["Alleen"]}, "submission/invalid_options"),
    ({"options": list("abcde")}, "submission/invalid_options"),
    ({"options": ["Ja", " ja "]}, "submission/invalid_options"),
    ({"options": ["x" * 161, "y"]}, "submission/invalid_options"),
    ({"kind": "statement", "options": ["Eens", "Oneens"]}, "submission/invalid_options"),
    ({"already": MAX_PER_PLAYER}, "submission/too_many"),
])
def test_a_bad_submission_names_its_problem(kwargs, code):
    assert code_of(**kwargs) == code


def test_a_valid_submission_with_a_prompt_is_a_valid_deck_card():
    """The submission limits are the deck card's: accepting never fails on what the player wrote."""
    longest = check_submission("t" * 80, "x" * 600, "dilemma", ["o" * 160, "p" * 160, "q" * 160, "r" * 160])
    shortest = check_submission("abc", "x" * 10, "statement", [])
    for s in (longest, shortest):
        CardSchema.model_validate({"id": "k-01", "kind": s.kind.value, "title": s.title, "text": s.text,
                                   "options": list(s.options), "prompts": ["Wat zou jij doen?"]})


def test_only_a_new_submission_is_reviewed():
    check_review("new")
    for status in ("accepted", "rejected"):
        with pytest.raises(RuleViolation) as exc:
            check_review(status)
        assert exc.value.code == "submission/already_reviewed"


def test_comfort_is_counted_per_decision_and_low_means_one_or_two():
    flags = comfort_flags([(1, "Kaart A", 1), (1, "Kaart A", 2), (1, "Kaart A", 3), (2, "Kaart B", 5)])
    assert (flags["answered"], flags["low"]) == (4, 2)
    assert flags["rounds"] == [{"round": 1, "card_title": "Kaart A", "answered": 3, "low": 2},
                               {"round": 2, "card_title": "Kaart B", "answered": 1, "low": 0}]
    assert [a["kind"] for a in comfort_alerts(flags)] == ["comfort"]  # only the decision with low scores


def test_no_answers_no_comfort_alert():
    flags = comfort_flags([])
    assert flags == {"answered": 0, "low": 0, "rounds": []} and comfort_alerts(flags) == []


def test_the_facilitators_next_step_after_the_discussion_is_the_second_vote_when_it_is_on():
    assert advance_move(Phase.DISCUSS, second_vote=True) is Move.START_REVOTE
    assert advance_move(Phase.DISCUSS, second_vote=False) is Move.START_DECISION
    assert advance_move(Phase.REVOTE, second_vote=True) is Move.CLOSE_VOTE
    assert advance_move(Phase.DRAW, second_vote=True) is Move.DRAW_CARD
    assert advance_move(Phase.DECIDE, second_vote=True) is None  # the team records its own decision
    assert advance_move(Phase.FINISHED, second_vote=False) is None
