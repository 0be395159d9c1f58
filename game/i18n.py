"""Languages: which one a request speaks, the gettext catalogues, and their part for the JavaScript.

Message ids are English; `game/translations/<locale>/LC_MESSAGES/messages.po` hold the Dutch and the
English texts (docs/i18n.md). Which language a request gets, first match wins:
  1. the user's explicit choice (the switch in the header, kept in the session);
  2. the room's language, on the pages of one room (the player's page, the big screen, the report)
     and on the Socket.IO connection those pages open (they pass their own language as `?lang=`);
  3. Dutch.
The browser's Accept-Language is deliberately not used: the game is played in Dutch meeting rooms
on shared tablets whose browsers are often set to English.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import re
import tempfile
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations, gettext, refresh
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from game.rules.errors import RuleViolation

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT = "nl"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
STATIC_JS = Path(__file__).resolve().parent.parent / "static" / "js"
log = logging.getLogger(__name__)
babel = Babel()


def select_locale() -> str:
    """The request's language (see the module docstring for the order)."""
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    room = g.get("room_language")
    if room in LANGUAGES:
        return room
    if request.path.startswith("/socket.io") and request.args.get("lang") in LANGUAGES:
        return request.args["lang"]
    return DEFAULT


def N_(message: str) -> str:
    """Marks a message id for the extractor where it is translated later (tables of words by key)."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """Like N_, with a context: the same English words translated differently in one place."""
    return context, message


def use_room_language(language: str | None) -> None:
    """A page of one room speaks the room's language, unless the user chose one."""
    g.room_language = language
    refresh()


def current_language() -> str:
    locale = get_locale() if has_request_context() else None
    return str(locale) if locale is not None and str(locale) in LANGUAGES else DEFAULT


def error_text(violation: RuleViolation) -> str:
    """A refusal from the rules or a use case, in the request's language."""
    return violation.text(gettext)


@functools.lru_cache(maxsize=8)
def translations(language: str) -> Translations:
    """A language's catalogue without a request (the CLI, documents rendered for a given language)."""
    compile_catalogues()
    return Translations.load(str(TRANSLATIONS), [language if language in LANGUAGES else DEFAULT])


def text_in(language: str, violation: RuleViolation) -> str:
    """A refusal in `language`, outside a request (the CLI speaks the default language)."""
    return violation.text(translations(language).ugettext)


def init_app(app: Flask) -> None:
    compile_catalogues()
    babel.init_app(app, locale_selector=select_locale, default_locale=DEFAULT,
                   default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language, js_i18n=js_i18n)


# ---------- compiled catalogues ----------

def compile_catalogues() -> None:
    """Compile each messages.po whose messages.mo is missing or older (`make install` does the same).

    So a checkout that skipped `make install` still speaks Dutch instead of falling back to the
    English message ids. Written to a temporary file and renamed: processes may start together."""
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as target:
            write_mo(target, catalogue)
        os.replace(tmp, mo)
        log.info("compiled %s", mo)


# ---------- the JavaScript's messages ----------

# `_("…")` and `ngettext("…", "…", n)` with double-quoted literals, also inside `${…}` of template
# literals (Babel's own JavaScript extractor does not look there reliably).
_JS_STRING = r'"((?:[^"\\\n]|\\.)*)"'
_JS_CALL = re.compile(r"(?<![\w$.])(_|ngettext)\(\s*" + _JS_STRING + r"(?:\s*,\s*" + _JS_STRING + ")?")


def extract_js(fileobj, keywords, comment_tags, options):  # noqa: ANN001, ANN201, ARG001
    """A Babel extraction method for our scripts: (line, function, message(s), comments)."""
    source = fileobj.read().decode("utf-8")
    for match in _JS_CALL.finditer(source):
        function, first, second = match.groups()
        line = source.count("\n", 0, match.start()) + 1
        if function == "_":
            yield line, "gettext", json.loads(f'"{first}"'), []
        elif second is not None:
            yield line, "ngettext", (json.loads(f'"{first}"'), json.loads(f'"{second}"')), []


@functools.lru_cache(maxsize=64)
def _script_messages(path: Path, mtime: float) -> tuple[str | tuple[str, str], ...]:
    """The message ids one script uses, found by the same extractor that fills the catalogues."""
    del mtime  # part of the cache key only: an edited script is read again
    with path.open("rb") as source:
        return tuple(message for _line, message, _comments, _context in extract(extract_js, source))


def js_messages(*scripts: str) -> dict[str, str | list[str]]:
    """{message id: translation} for the scripts (names under static/js); plurals as [one, other]."""
    table: dict[str, str | list[str]] = {}
    translations = get_translations()  # unformatted: the script fills in %(name)s itself
    for name in scripts:
        path = (STATIC_JS / name).resolve()
        if path.parent != STATIC_JS.resolve() or not path.is_file():
            raise ValueError(f"no script static/js/{name}")
        for message in _script_messages(path, path.stat().st_mtime):
            if isinstance(message, tuple):
                singular, plural = message
                table[singular] = [translations.ungettext(singular, plural, 1), translations.ungettext(singular, plural, 2)]
            else:
                table[message] = translations.ugettext(message)
    return table


def js_i18n(*scripts: str) -> Markup:
    """The scripts' messages as a JSON data block (the CSP allows no inline script; static/js/i18n.js reads it)."""
    return Markup('<script type="application/json" data-i18n>') + htmlsafe_json_dumps(js_messages(*scripts)) + Markup("</script>")
