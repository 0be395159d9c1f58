"""Role groups: roles grouped so that HR, line management and the rest reach the minimum group size.

A session of 24 people in six roles has four of each: no role alone reaches the privacy gate's minimum
(5), so a breakdown by role shows nothing. Grouped — leadership (executives, MT, line managers), HR,
employees with the works council — the groups are large enough and still answer the question the
session is about: how HR and management see it. A room may set its own groups (the room setting
`role_groups`: a list of {"name", "roles"}); roles in no group form a group of their own.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from game.rules.errors import RuleViolation

MAX_GROUPS = 8

# The default grouping for the default roles (game/play/rooms.py DEFAULT_ROLES), per language.
DEFAULT_GROUPS = {
    "nl": ({"name": "Leiding", "roles": ["Bestuurder / directeur", "MT-lid", "Leidinggevende"]},
           {"name": "HR", "roles": ["HR"]},
           {"name": "Medewerkers en OR", "roles": ["Medewerker", "OR-lid"]}),
    "en": ({"name": "Management", "roles": ["Executive", "MT member", "Line manager"]},
           {"name": "HR", "roles": ["HR"]},
           {"name": "Employees and works council", "roles": ["Employee", "Works council"]}),
}


def _key(role: str) -> str:
    return " ".join(role.split()).casefold()


def group_of_roles(roles: Sequence[str], configured: Sequence[Mapping] | None, language: str = "nl") -> dict[str, str]:
    """role -> its group's name, for the room's roles. `configured` None: the default grouping (both
    languages' defaults are tried, so an English deck in a Dutch room still groups)."""
    groups = list(configured) if configured else [g for lang in (language, "nl", "en") for g in DEFAULT_GROUPS.get(lang, ())]
    lookup: dict[str, str] = {}
    for group in groups:
        for role in group.get("roles", ()):
            lookup.setdefault(_key(role), group["name"])
    return {role: lookup.get(_key(role), role) for role in roles}


def parse(text: str, roles: Iterable[str]) -> list[dict]:
    """Form text ("Leiding: MT-lid, Leidinggevende" per line) -> role groups; every role at most once,
    every named role one of the room's roles. Raises RuleViolation with the line that is wrong."""
    known = {_key(r): r for r in roles}
    seen: set[str] = set()
    groups = []
    for number, line in enumerate((ln.strip() for ln in text.splitlines()), 1):
        if not line:
            continue
        name, sep, members = line.partition(":")
        name = " ".join(name.split())
        if not sep or not name or len(name) > 60:
            raise RuleViolation("role_groups/format", "Line %(line)s: write a group as “Name: role, role”.", line=number)
        chosen = []
        for member in (m.strip() for m in members.split(",")):
            if not member:
                continue
            if _key(member) not in known:
                raise RuleViolation("role_groups/unknown_role", "Line %(line)s: “%(role)s” is not one of the roles of this session.",
                                    line=number, role=member)
            if _key(member) in seen:
                raise RuleViolation("role_groups/twice", "Line %(line)s: “%(role)s” is already in another group.",
                                    line=number, role=member)
            seen.add(_key(member))
            chosen.append(known[_key(member)])
        if chosen:
            groups.append({"name": name, "roles": chosen})
    if len(groups) > MAX_GROUPS:
        raise RuleViolation("role_groups/too_many", "At most %(max)s role groups.", max=MAX_GROUPS)
    return groups


def as_text(groups: Sequence[Mapping]) -> str:
    """Role groups -> the form's text."""
    return "\n".join(f"{g['name']}: {', '.join(g['roles'])}" for g in groups)


def defaults_for(roles: Sequence[str], language: str = "nl") -> list[dict]:
    """The default grouping restricted to the given roles (for pre-filling the form)."""
    mapping = group_of_roles(roles, None, language)
    groups: dict[str, list[str]] = {}
    for role in roles:
        groups.setdefault(mapping[role], []).append(role)
    return [{"name": name, "roles": members} for name, members in groups.items()]
