"""The deck library in the database: bundled YAML decks are loaded as new versions when they change."""
from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from game.decks import DeckSchema, load_deck_dir
from game.store.db import Database
from game.store.models import DeckRecord

log = logging.getLogger(__name__)


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
        latest = session.scalar(
            select(DeckRecord).where(DeckRecord.slug == schema.slug).order_by(DeckRecord.version.desc()).limit(1))
        if latest is not None and latest.content == content:
            return 0
        session.add(DeckRecord(
            slug=schema.slug, version=(latest.version + 1) if latest else 1, title=schema.title,
            language=schema.language, content=content, source=f"bundled:{schema.slug}.yml",
        ))
        return 1


def list_decks(db: Database) -> list[dict]:
    """The newest version of every deck, for the room form."""
    with db.transaction() as session:
        newest = select(DeckRecord.slug, func.max(DeckRecord.version).label("v")).group_by(DeckRecord.slug).subquery()
        decks = session.scalars(
            select(DeckRecord).join(newest, (DeckRecord.slug == newest.c.slug) & (DeckRecord.version == newest.c.v))
            .order_by(DeckRecord.title))
        return [{"slug": d.slug, "title": d.title, "language": d.language, "version": d.version,
                 "cards": len(d.content["cards"]), "description": d.content["description"]} for d in decks]
