"""RuleViolation: the one error type for an illegal move, with a stable `area/reason` code."""
from __future__ import annotations


class RuleViolation(Exception):
    """An action the rules refuse; `code` is stable and listed in docs/protocol.md."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}
