"""The card kinds for the pages and their scripts: the definitions (game/rules/kinds.py) in the request's language."""
from __future__ import annotations

from flask import Flask
from flask_babel import get_translations

from game.rules.kinds import NAMES, kind_of, page_config


def kinds_config() -> dict:
    """Every kind as plain data in the request's language, for a page config (static/js/kinds.js reads it)."""
    return page_config(get_translations().ugettext)


def kind_label(kind: str) -> str:
    """A kind's name as players read it, in the request's language: Dilemma, Statement."""
    return get_translations().ugettext(kind_of(kind).label)


def register(app: Flask) -> None:
    """Template globals: `KIND_NAMES` (in kind order; the first is a new card's kind), `kinds_config()`, `kind_label()`."""
    app.jinja_env.globals.update(KIND_NAMES=NAMES, kinds_config=kinds_config,
                                 kind_label=kind_label)
