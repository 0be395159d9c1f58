"""The deck library in the database: bundled decks, the organisation's own decks and their versions.

Every save is a new `DeckRecord` version (never an update), so a room that points at a version
keeps what it played. Bundled decks (loaded from `decks/*.yml`) are read-only here: a facilitator
duplicates one to adapt it. Who made a version and how is kept in `source`:
`bundled:<file>` or `<action>[@<detail>]:<author>`, e.g. `restore@3:anna`.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from game import deck_io
from game.decks import DeckError, DeckProblem, DeckSchema, load_deck_dir, parse_deck
from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import DeckRecord, FacilitatorRecord, RoomRecord

log = logging.getLogger(__name__)

BUNDLED = "bundled"
ACTIONS = ("new", "edit", "duplicate", "import", "restore", "submission")


# --- bundled decks ---------------------------------------------------------------------------------

def sync_bundled_decks(db: Database, folder: Path) -> int:
    """Store each valid deck file whose content differs from its newest version; return how many."""
    added = 0
    for schema in load_deck_dir(folder):
        try:
            added += _store_if_changed(db, schema)
        except IntegrityError:
            log.info("deck %s was stored by another process starting at the same time", schema.slug)
    if added:
        log.info("loaded %d new deck version(s) from %s", added, folder)
    return added


def _store_if_changed(db: Database, schema: DeckSchema) -> int:
    """1 when a new version was stored, 0 when the newest version already has this content."""
    content = schema.model_dump()
    with db.transaction() as session:
        latest = _latest(session, schema.slug)
        if latest is not None and latest.content == content:
            return 0
        if latest is not None and not _is_bundled(session, schema.slug):
            # An organisation made a deck with this slug first; a shipped file never overwrites it.
            log.warning("deck file %s.yml skipped: the slug belongs to an organisation's own deck", schema.slug)
            return 0
        session.add(DeckRecord(
            slug=schema.slug, version=(latest.version + 1) if latest else 1, title=schema.title,
            language=schema.language, content=content, source=f"{BUNDLED}:{schema.slug}.yml",
        ))
        return 1


# --- reading ---------------------------------------------------------------------------------------

def list_decks(db: Database) -> list[dict]:
    """The newest version of every deck, for the room form."""
    with db.transaction() as session:
        return [{"slug": d.slug, "title": d.title, "language": d.language, "version": d.version,
                 "cards": len(d.content["cards"]), "description": d.content["description"]} for d in _newest(session)]


def library(db: Database) -> list[dict]:
    """Every deck for the library page: newest version, bundled or own, and the rooms that used it."""
    with db.transaction() as session:
        bundled = _bundled_slugs(session)
        first = dict(session.execute(
            select(DeckRecord.slug, func.min(DeckRecord.created_at)).group_by(DeckRecord.slug)).all())
        used = session.execute(
            select(DeckRecord.slug, DeckRecord.version, RoomRecord.code, RoomRecord.title, RoomRecord.created_at,
                   RoomRecord.is_open, RoomRecord.facilitator_id)
            .join(RoomRecord, RoomRecord.deck_id == DeckRecord.id).order_by(RoomRecord.id.desc())).all()
        rooms: dict[str, list[dict]] = {}
        for slug, version, code, title, created, is_open, owner in used:
            rooms.setdefault(slug, []).append({"code": code, "title": title, "created_at": created, "version": version,
                                               "open": is_open, "facilitator_id": owner})
        result = []
        for d in _newest(session):
            origin = describe_source(d.source)
            result.append({
                "slug": d.slug, "title": d.title, "language": d.language, "version": d.version,
                "cards": len(d.content["cards"]), "themes": list(d.content["themes"]),
                "description": d.content["description"], "bundled": d.slug in bundled,
                "changed_at": d.created_at, "created_at": first.get(d.slug), "author": origin["author"],
                "rooms": rooms.get(d.slug, []),
            })
        result.sort(key=lambda d: (d["bundled"], d["title"].casefold()))
        return result


def get_deck(db: Database, slug: str, version: int | None = None) -> dict:
    """One version of a deck (the newest by default) as plain data, with `bundled` and `content`."""
    with db.transaction() as session:
        record = _version(session, slug, version)
        return {"slug": record.slug, "version": record.version, "title": record.title, "language": record.language,
                "content": record.content, "bundled": _is_bundled(session, slug), "created_at": record.created_at,
                "latest": _latest(session, slug).version, **describe_source(record.source)}


def deck_versions(db: Database, slug: str) -> list[dict]:
    """Every version of a deck, newest first: date, author, how it was made, cards, rooms that played it."""
    with db.transaction() as session:
        records = session.scalars(select(DeckRecord).where(DeckRecord.slug == slug).order_by(DeckRecord.version.desc())).all()
        if not records:
            raise RuleViolation("deck/not_found", "Unknown deck '%(slug)s'.", slug=slug)
        counts = dict(session.execute(
            select(RoomRecord.deck_id, func.count()).where(RoomRecord.deck_id.in_([r.id for r in records]))
            .group_by(RoomRecord.deck_id)).all())
        return [{"version": r.version, "title": r.title, "created_at": r.created_at, "cards": len(r.content["cards"]),
                 "rooms": counts.get(r.id, 0), **describe_source(r.source)} for r in records]


def describe_source(source: str) -> dict:
    """`source` -> {action, detail, author}; bundled versions have the author '' and the file as detail."""
    head, _, rest = source.partition(":")
    if head == BUNDLED:
        return {"action": BUNDLED, "detail": rest, "author": ""}
    action, _, detail = head.partition("@")
    return {"action": action, "detail": detail, "author": rest}


def make_source(action: str, author: str, detail: str = "") -> str:
    """The `source` of a version made by a person: `<action>[@<detail>]:<author>` (at most 255 chars)."""
    assert action in ACTIONS, action
    detail = re.sub(r"[:\s]+", " ", detail).strip()[:80]
    return f"{action}{'@' + detail if detail else ''}:{' '.join(author.split())[:150]}"


def author_name(db: Database, facilitator_id: int) -> str:
    with db.transaction() as session:
        return session.scalar(select(FacilitatorRecord.username).where(FacilitatorRecord.id == facilitator_id)) or "?"


# --- writing: every change is a new version ---------------------------------------------------------

@dataclass(frozen=True)
class Saved:
    """What a save did: the deck's slug and version, and whether anything changed."""

    slug: str
    version: int
    changed: bool = True


def save_version(db: Database, slug: str, data: dict, author: str, *, action: str = "edit", detail: str = "",
                 based_on: int | None = None, source_name: str = "<editor>") -> Saved:
    """Validate `data` as the deck `slug` and store it as its next version.

    DeckError when the deck is invalid (nothing saved); RuleViolation when the deck is bundled, unknown,
    or was saved by someone else since version `based_on` (the version the editor started from).
    Saving content identical to the newest version stores nothing.
    """
    schema = parse_deck(data, source_name)
    if schema.slug != slug:
        raise DeckError([DeckProblem(source_name, "-", "slug", f"'{schema.slug}' must be '{slug}'")])
    content = schema.model_dump()
    try:
        return _save(db, schema, content, author, action, detail, based_on)
    except IntegrityError:  # two saves of the same version at the same moment: the second one loses
        raise RuleViolation("deck/conflict", "Someone else saved a new version meanwhile.") from None


def _save(db: Database, schema: DeckSchema, content: dict, author: str, action: str, detail: str,
          based_on: int | None) -> Saved:
    slug = schema.slug
    with db.transaction() as session:
        latest = _latest(session, slug)
        if latest is None:
            raise RuleViolation("deck/not_found", "Unknown deck '%(slug)s'.", slug=slug)
        if _is_bundled(session, slug):
            raise RuleViolation("deck/read_only", "A bundled deck cannot be changed; make a copy.")
        if based_on is not None and latest.version != based_on:
            raise RuleViolation("deck/conflict", "Someone else saved version %(n)s meanwhile.", n=latest.version)
        if latest.content == content:
            return Saved(slug, latest.version, changed=False)
        return _add_version(session, schema, latest.version + 1, make_source(action, author, detail))


def create_deck(db: Database, data: dict, author: str, *, action: str = "new", detail: str = "",
                source_name: str = "<editor>") -> Saved:
    """Validate and store a deck under a slug that is not in use yet (version 1)."""
    schema = parse_deck(data, source_name)
    try:
        with db.transaction() as session:
            if _latest(session, schema.slug) is not None:
                raise RuleViolation("deck/exists", "There already is a deck with the code '%(slug)s'.", slug=schema.slug)
            return _add_version(session, schema, 1, make_source(action, author, detail))
    except IntegrityError:
        raise RuleViolation("deck/exists", "There already is a deck with the code '%(slug)s'.", slug=schema.slug) from None


def import_deck(db: Database, schema: DeckSchema, author: str, filename: str) -> Saved:
    """An uploaded deck: a new deck, or the next version of the organisation's deck with that slug."""
    with db.transaction() as session:
        exists = _latest(session, schema.slug) is not None
    data = schema.model_dump()
    if exists:
        return save_version(db, schema.slug, data, author, action="import", detail=filename, source_name=filename)
    return create_deck(db, data, author, action="import", detail=filename, source_name=filename)


def import_file(db: Database, raw: bytes, filename: str, author: str, new_deck: dict | None = None) -> Saved:
    """An uploaded YAML or CSV file -> a new deck or the next version of an own deck; all or nothing.

    YAML carries its slug. A CSV holds only cards: its file name (`<slug>.csv`) names the deck; an
    existing deck keeps its title and description, a new one takes them from `new_deck`
    (title, language, description, themes).
    """
    kind = deck_io.format_of(filename)
    if kind is None:
        raise DeckError([DeckProblem(filename, "-", "(file)", "not a .yml, .yaml or .csv file")])
    if kind == "yaml":
        return import_deck(db, deck_io.from_yaml(raw, filename), author, filename)
    slug = slugify(filename.rsplit(".", 1)[0])
    if not slug:
        raise DeckError([DeckProblem(filename, "-", "(file)", "name the file after the deck, e.g. my-deck.csv")])
    with db.transaction() as session:
        latest = _latest(session, slug)
        base = dict(latest.content) if latest is not None else {"slug": slug, **(new_deck or {})}
    base.pop("cards", None)
    return import_deck(db, deck_io.from_csv(raw, filename, base), author, filename)


def duplicate_deck(db: Database, slug: str, new_slug: str, new_title: str, author: str) -> Saved:
    """Copy the newest version of a deck (bundled or own) to a new deck the organisation can edit."""
    original = get_deck(db, slug)
    data = {**original["content"], "slug": new_slug, "title": new_title}
    return create_deck(db, data, author, action="duplicate", detail=f"{slug} v{original['version']}")


def restore_version(db: Database, slug: str, version: int, author: str) -> Saved:
    """Make an older version the newest again, as a new version (history is never rewritten)."""
    old = get_deck(db, slug, version)
    return save_version(db, slug, old["content"], author, action="restore", detail=str(version))


def add_card_to_deck(db: Database, slug: str, card_data: dict, author: str, *, action: str = "submission") -> Saved:
    """Append one card to an organisation's deck and save it as a new version.

    For accepting a player's dilemma: `card_data` needs kind, title, text, options (dilemma) and prompts;
    without an `id` the next free one is chosen (`<prefix>-<n>`). The card is checked by the same schema
    as the editor and the importer; DeckError names its problems and nothing is saved.
    """
    deck = get_deck(db, slug)
    content = dict(deck["content"])
    card = dict(card_data)
    card.setdefault("id", next_card_id(slug, [c["id"] for c in content["cards"]]))
    content["cards"] = [*content["cards"], card]
    return save_version(db, slug, content, author, action=action, detail=str(card.get("id")), based_on=deck["version"])


def next_card_id(slug: str, existing: list[str]) -> str:
    """A new card id in the deck's style: the most common prefix plus the next number (`mb-15`)."""
    prefixes: dict[str, int] = {}
    numbers = [0]
    for card_id in existing:
        match = re.fullmatch(r"(.*?)-?(\d+)", card_id)
        if match:
            prefixes[match.group(1)] = prefixes.get(match.group(1), 0) + 1
            numbers.append(int(match.group(2)))
    prefix = max(prefixes, key=prefixes.get) if prefixes else "".join(p[0] for p in slug.split("-"))[:6] or "k"
    n = max(numbers) + 1
    while f"{prefix}-{n:02d}" in existing:
        n += 1
    return f"{prefix}-{n:02d}"


def free_slug(db: Database, wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3` ... whichever is not taken (at most 40 characters)."""
    base = slugify(wanted) or "spel"
    with db.transaction() as session:
        taken = set(session.scalars(select(DeckRecord.slug).distinct()))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base[:40 - len(str(n)) - 1]}-{n}"
    return candidate


def slugify(text: str) -> str:
    """Title -> slug: lowercase ASCII letters, digits and single hyphens, at most 40 characters."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40].strip("-")


# --- helpers ---------------------------------------------------------------------------------------

def _add_version(session: Session, schema: DeckSchema, version: int, source: str) -> Saved:
    session.add(DeckRecord(slug=schema.slug, version=version, title=schema.title, language=schema.language,
                           content=schema.model_dump(), source=source))
    session.flush()  # a concurrent save of the same version fails here (unique slug+version)
    return Saved(schema.slug, version)


def _latest(session: Session, slug: str) -> DeckRecord | None:
    return session.scalar(select(DeckRecord).where(DeckRecord.slug == slug).order_by(DeckRecord.version.desc()).limit(1))


def _version(session: Session, slug: str, version: int | None) -> DeckRecord:
    record = _latest(session, slug) if version is None else session.scalar(
        select(DeckRecord).where(DeckRecord.slug == slug, DeckRecord.version == version))
    if record is None:
        raise RuleViolation("deck/not_found", "Unknown deck '%(slug)s'.", slug=slug)
    return record


def _is_bundled(session: Session, slug: str) -> bool:
    """A deck is bundled when its first version came from a deck file."""
    first = session.scalar(select(DeckRecord.source).where(DeckRecord.slug == slug).order_by(DeckRecord.version).limit(1))
    return bool(first and first.startswith(f"{BUNDLED}:"))


def _bundled_slugs(session: Session) -> set[str]:
    first = select(DeckRecord.slug, func.min(DeckRecord.version).label("v")).group_by(DeckRecord.slug).subquery()
    return set(session.scalars(
        select(DeckRecord.slug).join(first, (DeckRecord.slug == first.c.slug) & (DeckRecord.version == first.c.v))
        .where(DeckRecord.source.like(f"{BUNDLED}:%"))))


def _newest(session: Session) -> list[DeckRecord]:
    newest = select(DeckRecord.slug, func.max(DeckRecord.version).label("v")).group_by(DeckRecord.slug).subquery()
    return list(session.scalars(
        select(DeckRecord).join(newest, (DeckRecord.slug == newest.c.slug) & (DeckRecord.version == newest.c.v))
        .order_by(DeckRecord.title)))
