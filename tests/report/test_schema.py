"""docs/report.schema.json is the schema generated from the typed report (game/report/model.py), and a real
report's JSON download validates against it."""
from __future__ import annotations

import json

import jsonschema
import pytest

from game.report.model import as_json, json_schema
from game.report.render_json import render_json
from tests.conftest import ROOT
from tests.report.conftest import add_second_votes, link_previous, play_room
from tests.report.test_aggregate import report_of

SCHEMA_FILE = ROOT / "docs" / "report.schema.json"
REGENERATE = ".venv/bin/python -c \"import json; from game.report.model import json_schema; " \
             "open('docs/report.schema.json', 'w').write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + '\\n')\""


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_schema_file_is_the_schema_generated_from_the_report_classes():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema(), f"regenerate it: {REGENERATE}"


def test_a_full_report_validates_against_the_schema(db, facilitator_id):
    # Second votes, predictions, a comparison with an earlier room: every part of the report is filled in.
    def predict(number, team, player, kind, choices):  # noqa: ANN001, ANN202
        return choices[0] if kind == "dilemma" else 1

    before = play_room(db, facilitator_id, cards=3, seed=3)
    after = play_room(db, facilitator_id, cards=3, seed=4, predictor=predict)
    add_second_votes(db, after, lambda choice, choices, rng: choices[0] if rng.random() < 0.5 else choice)
    link_previous(db, after, before)
    report = report_of(db, after)
    assert report.comparison and report.second_vote_used and report.perceptions["available"]
    data = json.loads(render_json(report))
    assert data == json.loads(json.dumps(as_json(report)))
    validator().validate(data)
    assert data["schema_version"] == report.schema_version
    assert data["cards"][0]["first"]["agreement"]["measure"] == "largest-camp-share"


def test_a_report_that_lost_a_field_or_changed_a_type_does_not_validate(db, played_room):
    data = json.loads(render_json(report_of(db, played_room)))
    check = validator()
    check.validate(data)
    broken = json.loads(json.dumps(data))
    del broken["cards"][0]["first"]
    with pytest.raises(jsonschema.ValidationError):
        check.validate(broken)
    broken = json.loads(json.dumps(data))
    broken["cards"][0]["first"]["agreement"]["top_count"] = "13"
    with pytest.raises(jsonschema.ValidationError):
        check.validate(broken)
