"""Keeping the gettext catalogues in step with the code (`make messages`; docs/i18n.md).

`extract()` finds every message id in the Python code, the templates and the JavaScript with Babel's
extractors; `update()` writes `game/translations/messages.pot` and merges it into each language's
messages.po (new ids arrive untranslated, removed ids are dropped). The tests run `extract()` too and
fail while a catalogue misses an id, has an empty or fuzzy translation, or keeps an id the code lost.
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po, write_po

from game.i18n import LANGUAGES, TRANSLATIONS, extract_js

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (  # (glob under the repository, Babel extraction method)
    ("game/**/*.py", "python"),
    ("templates/**/*.html", "jinja2"),
    ("static/js/*.js", extract_js),  # our own: finds calls inside template literals too
)
KEYWORDS = {
    **DEFAULT_KEYWORDS,          # _, gettext, ngettext, N_, ...
    "_l": None,                  # flask_babel.lazy_gettext, for form labels defined at import time
    "lazy_gettext": None,
    "RuleViolation": (2,),       # RuleViolation(code, message, **params): the message is an id
    "NP_": ((1, "c"), 2),        # game.i18n.NP_(context, message)
}
TEMPLATE = TRANSLATIONS / "messages.pot"


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """Every message id in the code, with the files it appears in."""
    catalogue = Catalog(project="inzetspel", charset="utf-8", fuzzy=False)
    for pattern, method in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            if "__pycache__" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            for lineno, message, comments, context in extract_from_file(method, path, keywords=KEYWORDS,
                                                                         comment_tags=("i18n:",), strip_comment_tags=True):
                catalogue.add(message, None, [(relative, lineno)], auto_comments=comments, context=context)
    return catalogue


def read(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as source:
        return read_po(source, locale=language)


def write(path: Path, catalogue: Catalog) -> None:
    """Write a catalogue, sorted, with file names but no line numbers: moving code does not churn it;
    a file whose messages did not change is left alone (not even its creation date is rewritten)."""
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=120, include_lineno=False, ignore_obsolete=True, sort_output=True)
    undated = lambda text: re.sub(rb'"POT-Creation-Date: [^"]*"', b"", text)  # noqa: E731
    if path.exists() and undated(path.read_bytes()) == undated(buffer.getvalue()):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def update() -> None:
    template = extract()
    write(TEMPLATE, template)
    for language in LANGUAGES:
        if catalogue_path(language).exists():
            catalogue = read(language)
            catalogue.update(template, no_fuzzy_matching=True)
        else:
            catalogue = Catalog(locale=language, project="inzetspel", charset="utf-8", fuzzy=False)
            catalogue.update(template, no_fuzzy_matching=True)
        write(catalogue_path(language), catalogue)
        missing = sum(1 for m in catalogue if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,)))
        print(f"{catalogue_path(language).relative_to(ROOT)}: {len(catalogue)} messages, {missing} untranslated")


if __name__ == "__main__":
    update()
    sys.exit(0)
