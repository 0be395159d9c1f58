"""The report as JSON: the aggregate itself, documented in docs/report.md and docs/report.schema.json."""
from __future__ import annotations

import json

SCHEMA_PATH = "docs/report.schema.json"


def render_json(report: dict) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
