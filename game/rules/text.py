"""Free text from people (names, titles, cards, arguments): one normalisation and one refusal for every entry point."""
from __future__ import annotations

import unicodedata

from game.rules.errors import RuleViolation

# Ordinary whitespace is text, not a control character: arguments and card texts have line breaks.
WHITESPACE = frozenset("\t\n\r")
# Bidi embeddings, overrides and isolates reorder what the reader sees ("Trojan Source"); a plain
# left-to-right or right-to-left mark (U+200E, U+200F) only hints and stays allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and marks that draw nothing although Unicode does not call them format characters: a
# name made only of these (or of zero-width characters) looks empty on every screen.
BLANKS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")



def _draws_nothing(ch: str) -> bool:
    category = unicodedata.category(ch)
    return ch.isspace() or category in ("Cf", "Mn", "Me") or ch in BLANKS


def text_problem(value: str) -> RuleViolation | None:
    """Why `value` cannot be accepted as text, or None when it can (pure, so schemas and forms share it)."""
    for ch in value:
        category = unicodedata.category(ch)
        # Cc: NUL (PostgreSQL refuses it), ESC (terminal escapes), DEL, C1; Cs: a lone surrogate, which
        # cannot be stored as UTF-8 at all.
        if (category in ("Cc", "Cs") and ch not in WHITESPACE) or ch in BIDI_CONTROLS:
            return RuleViolation("text/control_characters",
                                 "Remove the invisible control characters (such as NUL, escape codes or text direction overrides).")
    if value.strip() and all(_draws_nothing(ch) for ch in value):
        return RuleViolation("text/invisible", "This text shows nothing: write visible letters or digits.")
    return None


def clean_text(value: str, *, single_line: bool = False) -> str:
    """`value` in NFC and trimmed (`single_line`: every run of whitespace one space); RuleViolation (text/...) otherwise."""
    value = unicodedata.normalize("NFC", value)
    problem = text_problem(value)
    if problem is not None:
        raise problem
    return " ".join(value.split()) if single_line else value.strip()


def clean_optional(value: str | None, *, single_line: bool = False) -> str | None:
    """clean_text for a field that may be absent."""
    return None if value is None else clean_text(value, single_line=single_line)
