"""Session formats: ready-made room settings with a facilitator's script, shipped as formats/*.yml."""
from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from game.play.rooms import DEFAULT_ROLES, RoomSpec, owned_room
from game.rules.settings import RoomSettings
from game.store.db import Database

log = logging.getLogger(__name__)
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# Keys a format may set: today's RoomSettings plus the group settings being added to it; from_dict drops the
# ones RoomSettings does not know yet, so a format can carry them before the code reads them.
SETTING_KEYS = {f.name for f in fields(RoomSettings)} | {"min_group", "team_quorum", "role_groups"}
PHASES = ("draw", "vote", "reveal", "discuss", "revote", "decide")
ROOM_KEY = "format"  # the room's settings remember the format it was started from (for the script)


class _Script(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    start: str = Field(min_length=10, max_length=1500)
    phases: dict[str, str]
    end: str = Field(min_length=10, max_length=1500)

    @field_validator("phases")
    @classmethod
    def _known_phases(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - set(PHASES)
        if unknown:
            raise ValueError(f"unknown phases {sorted(unknown)}; use {', '.join(PHASES)}")
        if any(not 10 <= len(v.strip()) <= 800 for v in value.values()):
            raise ValueError("each phase text is 10..800 characters")
        return {k: v.strip() for k, v in value.items()}


class _Format(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    slug: str = Field(pattern=SLUG, max_length=40)
    language: str = Field(pattern=r"^(nl|en)$")
    title: str = Field(min_length=3, max_length=120)
    description: str = Field(min_length=10, max_length=800)
    deck: str = Field(pattern=SLUG, max_length=40)
    cards: int | None = Field(default=None, ge=1, le=200)
    shuffle: bool = False
    teams: list[str] = Field(min_length=1, max_length=20)
    roles: list[str] | None = None
    follow_up: str | None = Field(default=None, pattern=SLUG)
    follow_up_after: str | None = Field(default=None, max_length=120)
    default_follow_up: bool = False  # offered for the next session of a room whose format names no follow-up
    settings: dict
    script: _Script

    @field_validator("settings")
    @classmethod
    def _known_settings(cls, value: dict) -> dict:
        unknown = set(value) - SETTING_KEYS
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}")
        return value


@dataclass(frozen=True)
class SessionFormat:
    """One ready-made session: what the room is set to, and what the facilitator says when."""

    slug: str
    language: str
    title: str
    description: str
    deck: str
    cards: int | None
    shuffle: bool
    teams: tuple[str, ...]
    roles: tuple[str, ...] | None
    settings: dict
    script: dict
    follow_up: str | None = None
    follow_up_after: str | None = None
    default_follow_up: bool = False

    def room_settings(self, shown: dict | None = None) -> RoomSettings:
        """The format's settings, overridden by what the facilitator changed in the form (`shown`)."""
        return RoomSettings.from_dict({**self.settings, **(shown or {})})

    def spec(self, shown: dict | None = None, **changes: object) -> RoomSpec:
        """A room spec from this format; `changes` (deck_slug, title, previous_room_code, ...) win."""
        values: dict = {"deck_slug": self.deck, "team_names": self.teams, "cards": self.cards, "roles": self.roles,
                        "shuffle": self.shuffle, "settings": self.room_settings(shown)}
        values.update(changes)
        settings = values["settings"]
        if settings.role_groups and "settings" not in changes:  # a follow-up keeps the earlier room's roles
            groups = fit_role_groups(settings.role_groups, values["roles"] or DEFAULT_ROLES[self.language])
            values["settings"] = RoomSettings.from_dict({**settings.as_dict(), "role_groups": groups or None})
        return RoomSpec(**values)

    def script_steps(self) -> list[tuple[str, str]]:
        """The script's phase texts in the order of play."""
        return [(p, self.script["phases"][p]) for p in PHASES if p in self.script["phases"]]


def fit_role_groups(groups: list[dict], roles: tuple[str, ...] | list[str]) -> list[dict]:
    """The format's role groups cut to the roles a room really has (a follow-up keeps the earlier room's roles):
    roles the room lacks leave their group, and a group left empty goes."""
    fitted = [{"name": g["name"], "roles": [r for r in g["roles"] if r in roles]} for g in groups]
    return [g for g in fitted if g["roles"]]


def follow_up_for(available: list[SessionFormat], earlier: str | None, language: str | None) -> SessionFormat | None:
    """The format offered when a facilitator plans the next session of a room: the follow-up its format names,
    or else (no format, or one without a follow-up) the default follow-up format in the deck's language."""
    by_slug = {f.slug: f for f in available}
    named = by_slug.get(earlier).follow_up if earlier in by_slug else None
    if named in by_slug:
        return by_slug[named]
    return next((f for f in available if f.default_follow_up and f.language == language), None)


class FormatError(ValueError):
    """A format file that does not load; the message names the file and every problem."""


def load_format_file(path: Path) -> SessionFormat:
    """One formats/*.yml file -> SessionFormat, or FormatError with file: field: message lines."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        model = _Format.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FormatError(f"{path}: (file): {exc}") from exc
    except ValidationError as exc:
        lines = [f"{path}: {'.'.join(map(str, e['loc'])) or '-'}: {e['msg']}" for e in exc.errors()]
        raise FormatError("\n".join(lines)) from exc
    if model.slug != path.stem:
        raise FormatError(f"{path}: slug: '{model.slug}' must equal the file name '{path.stem}'")
    return SessionFormat(slug=model.slug, language=model.language, title=model.title, description=model.description,
                         deck=model.deck, cards=model.cards, shuffle=model.shuffle, teams=tuple(model.teams),
                         roles=tuple(model.roles) if model.roles else None, settings=dict(model.settings),
                         script=model.script.model_dump(), follow_up=model.follow_up,
                         follow_up_after=model.follow_up_after, default_follow_up=model.default_follow_up)


@lru_cache(maxsize=8)
def _load_dir(folder: str, stamp: tuple) -> dict[str, SessionFormat]:
    found: dict[str, SessionFormat] = {}
    for path in sorted(Path(folder).glob("*.yml")):
        try:
            fmt = load_format_file(path)
        except FormatError as exc:  # like a broken deck: skipped and logged, never a crash
            log.error("format skipped: %s", exc)
            continue
        found[fmt.slug] = fmt
    return found


def load_formats(folder: Path) -> dict[str, SessionFormat]:
    """Every valid format in the folder by slug (re-read when a file changes)."""
    paths = sorted(Path(folder).glob("*.yml"))
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in paths)
    return _load_dir(str(folder), stamp)


def formats_for(folder: Path, decks: set[str]) -> list[SessionFormat]:
    """The formats a facilitator can start: those whose deck is in the library, in file order."""
    found = [f for f in load_formats(folder).values() if f.deck in decks]
    follow_ups = {f.follow_up for f in found}
    # formats to start with first, the follow-ups (named by another format, or offered by default) after them
    return sorted(found, key=lambda f: f.slug in follow_ups or f.default_follow_up)


def remember_format(db: Database, facilitator_id: int, code: str, slug: str) -> None:
    """Write the format's slug into the new room's settings, so the dashboard can show its script."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, code)
        room.settings = {**(room.settings or {}), ROOM_KEY: slug}


def format_of_room(db: Database, facilitator_id: int, code: str) -> str | None:
    """The slug of the format a room was started from, if any."""
    with db.transaction() as session:
        return (owned_room(session, facilitator_id, code).settings or {}).get(ROOM_KEY)
