"""RuleViolation: the one error type for an illegal move, with a stable `area/reason` code."""
from __future__ import annotations

from collections.abc import Callable


class RuleViolation(Exception):
    """An action the rules refuse; `code` is stable and listed in docs/protocol.md.

    `message` is an English gettext message id with `%(name)s` placeholders for `params` (the
    extractor finds it as RuleViolation's second argument); the web and Socket.IO layers translate
    it with `text(gettext)`, so the rules stay free of Flask and of catalogues (docs/i18n.md)."""

    def __init__(self, code: str, message: str, **params: object):
        self.code = code
        self.template = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(f"{code}: {self.message}")

    def text(self, gettext: Callable[[str], str] | None = None) -> str:
        """The message in the language of `gettext` (English without one)."""
        if gettext is None:
            return self.message
        translated = gettext(self.template)
        return translated % self.params if self.params else translated

    def as_dict(self, gettext: Callable[[str], str] | None = None) -> dict:
        return {"code": self.code, "message": self.text(gettext)}
