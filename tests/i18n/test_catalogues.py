"""The gettext catalogues are complete and in step with the code (docs/i18n.md).

The extractor runs here on the code as it is: a string marked in a template, a server message, a
RuleViolation or a script that is missing from a catalogue, an id the code no longer uses, an empty
or fuzzy translation, or a translation that loses a placeholder all fail. `make messages` brings the
catalogues up to date; then the new entries need their Dutch and English text.
"""
from __future__ import annotations

import re

import pytest

from game.i18n import LANGUAGES
from game.i18n_catalogues import extract, read

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")  # %(name)s, or {name} for .format() (the report)


@pytest.fixture(scope="module")
def code_ids() -> set:
    return {m.id for m in extract() if m.id}


@pytest.fixture(scope="module", params=sorted(LANGUAGES))
def catalogue(request):  # noqa: ANN001, ANN201
    return read(request.param)


def test_the_code_has_a_substantial_number_of_messages(code_ids: set):
    # A broken extractor (a wrong pattern, a keyword lost) would make every other test pass vacuously.
    assert len(code_ids) > 400
    assert "Vote now" in code_ids                     # static/js/play.js
    assert "Join in" in code_ids                      # templates/home.html
    assert "This team is full; choose another team." in code_ids  # a RuleViolation in game/play
    assert ("%(num)s card", "%(num)s cards") in code_ids            # a plural in a template
    assert "Where we agree" in code_ids               # the report (game/report/text.py)


def test_every_message_in_the_code_is_in_the_catalogue_and_nothing_else(catalogue, code_ids: set):
    ids = {m.id for m in catalogue if m.id}
    missing, stale = code_ids - ids, ids - code_ids
    assert not missing, f"{len(missing)} ids missing from {catalogue.locale} (run `make messages`): {sorted(map(str, missing))[:10]}"
    assert not stale, f"{len(stale)} ids in {catalogue.locale} no longer in the code (run `make messages`): {sorted(map(str, stale))[:10]}"


def test_every_message_has_a_translation_that_is_not_fuzzy(catalogue):
    untranslated = [m.id for m in catalogue if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not untranslated, f"{catalogue.locale}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{catalogue.locale}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def names(text: str) -> list[str]:
    return sorted(a or b for a, b in PLACEHOLDER.findall(text))


def test_translations_keep_the_placeholders_of_their_message(catalogue):
    for m in catalogue:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            wanted = names(m.id[1])
            for form in m.string:
                # The singular may spell out "one" instead of %(num)s, but never drops another value.
                assert set(names(form)) - {"num"} == set(wanted) - {"num"}, (catalogue.locale, m.id, form)
        else:
            assert names(m.string) == names(m.id), (catalogue.locale, m.id, m.string)


def test_the_dutch_catalogue_is_dutch_and_the_english_one_english():
    nl, en = read("nl"), read("en")
    assert nl.get("Vote now").string == "Stem nu" and en.get("Vote now").string == "Vote now"
    differs = sum(1 for m in nl if m.id and not isinstance(m.id, tuple) and m.string != m.id)
    assert differs > 0.8 * len(nl)  # Dutch texts, not English ids copied over
