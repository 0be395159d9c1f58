"""The `inzetspel` command: serve, decks, rooms, users, simulate."""
from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

import click

from game.launch import ASYNC_MODES, DEFAULT_ASYNC_MODE


@click.group()
def cli() -> None:
    """Inzetbaarheidsspel: host and play the employability dilemma game."""


def _app(**overrides):  # noqa: ANN003, ANN202
    from game.app import create_app

    # One-off commands are not servers: no async framework (nothing was monkey-patched for them).
    overrides.setdefault("ASYNC_MODE", "threading")
    return create_app(overrides)


@cli.command()
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="127.0.0.1 (env HOST)")
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int, show_default="5000 (env PORT)")
@click.option("--async-mode", type=click.Choice(ASYNC_MODES), default=lambda: os.environ.get("ASYNC_MODE", DEFAULT_ASYNC_MODE),
              show_default=DEFAULT_ASYNC_MODE)
def serve(host: str, port: int, async_mode: str) -> None:
    """Serve the game (production server; gevent by default)."""
    from game.app import start_background_work
    from game.extensions import socketio

    app = _app(ASYNC_MODE=async_mode)
    start_background_work(app)
    click.echo(f"Inzetbaarheidsspel on http://{host}:{port}/ ({async_mode}, {app.config['DATABASE_URL'].split('://')[0]})", err=True)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=(async_mode == "threading"), log_output=False)


@cli.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply Alembic migrations and load changed bundled decks (also done at every start)."""
    app = _app()
    click.echo(f"database at head: {app.config['DATABASE_URL'].split('@')[-1]}")


@cli.group()
def decks() -> None:
    """Deck files."""


@decks.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def decks_validate(paths: tuple[Path, ...]) -> None:
    """Check deck files; print each problem as file:card-id: field: message."""
    from game.decks import DeckError, load_deck_file

    problems = 0
    for path in paths:
        try:
            deck = load_deck_file(path)
        except DeckError as exc:
            for problem in exc.problems:
                click.echo(str(problem))
            problems += len(exc.problems)
        else:
            click.echo(f"{path}: ok ({len(deck.cards)} cards)", err=True)
    sys.exit(1 if problems else 0)


@cli.group()
def rooms() -> None:
    """Rooms."""


@rooms.command("create")
@click.option("--deck", "deck_slug", required=True, help="The deck's slug, e.g. mobiliteit-bespreekbaar.")
@click.option("--teams", type=click.IntRange(1, 20), default=1, show_default=True)
@click.option("--cards", type=click.IntRange(1, 200), default=None, help="How many cards (default: all).")
@click.option("--title", default="")
@click.option("--facilitator", default=None, help="Username that owns the room (default: the first account, if any).")
@click.option("--no-shuffle", is_flag=True, help="Play the cards in deck order.")
def rooms_create(deck_slug: str, teams: int, cards: int | None, title: str, facilitator: str | None, no_shuffle: bool) -> None:
    """Create a room; the join code is printed on the last line."""
    from sqlalchemy import select

    from game.extensions import get_db
    from game.play.rooms import RoomSpec, create_room
    from game.rules.errors import RuleViolation
    from game.store.models import FacilitatorRecord

    app = _app()
    with app.app_context():
        db = get_db()
        with db.transaction() as session:
            query = select(FacilitatorRecord.id).order_by(FacilitatorRecord.id).limit(1)
            if facilitator:
                query = select(FacilitatorRecord.id).where(FacilitatorRecord.username == facilitator)
            owner = session.scalar(query)
        if facilitator and owner is None:
            raise click.ClickException(f"no facilitator '{facilitator}'")
        spec = RoomSpec(deck_slug=deck_slug, team_names=tuple(f"Team {i}" for i in range(1, teams + 1)),
                        title=title, cards=cards, shuffle=not no_shuffle)
        try:
            code = create_room(db, owner, spec)
        except RuleViolation as exc:
            raise click.ClickException(exc.message) from None
    click.echo(code)


@cli.group()
def users() -> None:
    """Facilitator accounts."""


@users.command("create")
@click.argument("username")
@click.option("--password-env", default="INZETSPEL_PASSWORD", show_default=True,
              help="Environment variable with the password; asked for when unset.")
def users_create(username: str, password_env: str) -> None:
    """Create a facilitator account."""
    from game.extensions import get_db
    from game.play.accounts import create_facilitator
    from game.rules.errors import RuleViolation

    password = os.environ.get(password_env) or getpass.getpass("Wachtwoord: ")
    app = _app()
    with app.app_context():
        try:
            create_facilitator(get_db(), username, password)
        except RuleViolation as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"created facilitator '{username}'")


@cli.command()
@click.option("--url", "urls", multiple=True, required=True, help="Server URL; repeat to spread bots over several servers.")
@click.option("--code", required=True, help="The room's join code.")
@click.option("--players", type=click.IntRange(1, 5000), required=True)
@click.option("--seed", type=int, default=None, help="Seed for reproducible votes.")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="Give up after this many seconds.")
@click.option("--think", type=float, default=0.05, show_default=True, help="Max seconds a bot waits before acting.")
def simulate(urls: tuple[str, ...], code: str, players: int, seed: int | None, timeout: float, think: float) -> None:
    """Bots join the room like tablets and play it to the end; JSON summary on the last line."""
    import asyncio

    from game.simulate import run_simulation

    summary = asyncio.run(run_simulation(list(urls), code, players, seed=seed, timeout=timeout, think=think))
    click.echo(json.dumps(summary))
    sys.exit(0 if summary["finished"] and not summary["errors"] else 1)
