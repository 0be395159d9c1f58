"""Join codes: unambiguous characters, enough of them to be unguessable, forgiving when typed."""
from __future__ import annotations

import math
import random

import pytest

from game.rules.codes import ALPHABET, ENTROPY_BITS, LENGTH, display_join_code, new_join_code, normalise_join_code


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20250514)


def test_the_alphabet_leaves_out_characters_that_look_or_sound_alike():
    for ambiguous in "0O1IL":
        assert ambiguous not in ALPHABET


def test_the_alphabet_has_only_upper_case_letters_and_digits_each_once():
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert all(ch.isascii() and (ch.isdigit() or ch.isupper()) for ch in ALPHABET)


def test_a_code_has_eight_characters():
    assert LENGTH == 8


def test_a_code_carries_at_least_39_bits_of_entropy():
    assert LENGTH * math.log2(len(set(ALPHABET))) >= 39
    assert ENTROPY_BITS == pytest.approx(LENGTH * math.log2(len(ALPHABET)))


def test_a_new_code_uses_only_the_alphabet(rng: random.Random):
    for _ in range(200):
        code = new_join_code(rng)
        assert len(code) == LENGTH and set(code) <= set(ALPHABET)


def test_new_codes_spread_over_the_whole_alphabet(rng: random.Random):
    codes = [new_join_code(rng) for _ in range(500)]
    assert len(set(codes)) == len(codes)
    assert set("".join(codes)) == set(ALPHABET)


def test_a_new_code_is_already_in_its_normal_form(rng: random.Random):
    for _ in range(50):
        code = new_join_code(rng)
        assert normalise_join_code(code) == code


@pytest.mark.parametrize("typed", ["km4tq8za", "KM4T-Q8ZA", "km4t-q8za", "KM4T Q8ZA", " km4t q8za ", "Km4T--Q8zA", "KM4T_Q8ZA", "KM4T.Q8ZA"])
def test_a_typed_code_is_forgiven_its_case_dashes_and_spaces(typed: str):
    assert normalise_join_code(typed) == "KM4TQ8ZA"


@pytest.mark.parametrize("typed", ["KM4T-Q8Z0", "KM4T-Q8ZO", "KM4T-Q8Z1", "KM4T-Q8ZI", "KM4T-Q8ZL", "km4t-q8zl", "km4t-q8zo", "km4t-q8zi"])
def test_a_code_with_an_ambiguous_character_is_refused(typed: str):
    assert normalise_join_code(typed) is None


@pytest.mark.parametrize("typed", ["", "   ", "-", "KM4T-Q8Z", "KM4T-Q8ZAB", "KM4TQ8ZA" * 2, "KM4T/Q8ZA", "KM4T-Q8ZÄ", "KM4T+Q8ZA"],
                         ids=repr)
def test_a_code_of_the_wrong_length_or_with_foreign_characters_is_refused(typed: str):
    assert normalise_join_code(typed) is None


def test_a_code_is_displayed_in_two_halves():
    assert display_join_code("ABCDEFGH") == "ABCD-EFGH"


def test_a_displayed_code_normalises_back_to_the_stored_code(rng: random.Random):
    for _ in range(50):
        code = new_join_code(rng)
        assert normalise_join_code(display_join_code(code)) == code
