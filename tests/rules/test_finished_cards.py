"""While a room plays, a card counts in the report only once every seated table has finished it."""
from __future__ import annotations

from game.rules.live_figures import finished_cards


def test_a_card_counts_once_every_seated_table_has_decided_or_skipped_it():
    # (team, card, round number, skipped): table 1 decided cards 10 and 11, table 2 decided 10 and skipped 11.
    rounds = [(1, 10, 1, False), (1, 11, 2, False), (2, 10, 1, False), (2, 11, 2, True)]
    assert finished_cards(rounds, {1: 2, 2: 1}, {1, 2}) == {10, 11}


def test_a_card_still_in_play_at_one_table_does_not_count_yet():
    # Table 2 has drawn card 11 (round 2) but has decided only round 1: revealed or not, 11 waits.
    rounds = [(1, 10, 1, False), (1, 11, 2, False), (2, 10, 1, False), (2, 11, 2, False)]
    assert finished_cards(rounds, {1: 2, 2: 1}, {1, 2}) == {10}


def test_a_table_that_has_not_drawn_the_card_holds_it_back():
    # Team pacing: table 2 has not reached card 11; its reveal later would be the difference between two reloads.
    rounds = [(1, 10, 1, False), (1, 11, 2, False), (2, 10, 1, False)]
    assert finished_cards(rounds, {1: 2, 2: 1}, {1, 2}) == {10}


def test_an_empty_table_does_not_hold_cards_back_and_no_seated_table_means_nothing_counts():
    rounds = [(1, 10, 1, False)]
    assert finished_cards(rounds, {1: 1, 3: 0}, {1}) == {10}
    assert finished_cards(rounds, {1: 1}, set()) == set()
