"""The report as JSON: the typed report as plain data, documented in docs/report.md; its schema
(docs/report.schema.json) is generated from game/report/model.py."""
from __future__ import annotations

import json

from game.report.model import Report, as_json

SCHEMA_PATH = "docs/report.schema.json"


def render_json(report: Report) -> bytes:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2).encode("utf-8")
