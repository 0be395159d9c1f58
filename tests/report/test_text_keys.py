"""Every report string key is defined once: a second definition silently replaces the first
(it once turned the toolbar's "Share and compare" into a column header)."""
from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import game.report.text as text


def test_no_report_message_key_is_defined_twice():
    tree = ast.parse(Path(text.__file__).read_text(encoding="utf-8"))
    messages = next(node.value for node in ast.walk(tree)
                    if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "MESSAGES")
    keys = Counter(k.value for k in messages.keys)
    assert [k for k, n in keys.items() if n > 1] == []
