"""The `inzetspel` command: serve, decks, rooms, users, simulate."""
from __future__ import annotations

import getpass
import json
import logging
import os
import sys
from pathlib import Path

import click

from game.i18n import DEFAULT, text_in
from game.launch import ASYNC_MODES, DEFAULT_ASYNC_MODE


@click.group()
def cli() -> None:
    """Inzetbaarheidsspel: host and play the employability dilemma game."""


def _text_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A free-text option or argument through game/rules/text.py, as every other entry point does: a NUL
    (which PostgreSQL refuses), an escape code or a direction override is a usage error, not a traceback."""
    from game.rules.errors import RuleViolation
    from game.rules.text import clean_text

    try:
        return None if value is None else clean_text(value, single_line=True)
    except RuleViolation as exc:
        raise click.BadParameter(text_in(DEFAULT, exc)) from None


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
    # gevent's server writes its errors (with the client's address) to stderr unless given a logger:
    # through logging they pass the address filter (game/security.py).
    extra = {"error_log": logging.getLogger("gevent.pywsgi")} if async_mode == "gevent" else {}
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=(async_mode == "threading"), log_output=False, **extra)


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
@click.option("--deck", "deck_slug", required=True, callback=_text_option, help="The deck's slug, e.g. mobiliteit-bespreekbaar.")
@click.option("--teams", type=click.IntRange(1, 20), default=1, show_default=True)
@click.option("--cards", type=click.IntRange(1, 200), default=None, help="How many cards (default: all).")
@click.option("--title", default="", callback=_text_option)
@click.option("--facilitator", default=None, callback=_text_option, help="Username that owns the room (default: the first account, if any).")
@click.option("--no-shuffle", is_flag=True, help="Play the cards in deck order.")
@click.option("--pacing", type=click.Choice(["team", "plenary"]), default="team", show_default=True)
@click.option("--second-vote/--no-second-vote", default=True, show_default=True,
              help="Vote again after the discussion.")
@click.option("--predictions/--no-predictions", default=True, show_default=True,
              help="Players predict their team's majority with their vote.")
@click.option("--comfort/--no-comfort", default=False, show_default=True,
              help='Ask "can you live with it?" after each decision.')
@click.option("--vote-seconds", type=click.IntRange(10, 3600), default=None, help="Vote timer (default: none).")
@click.option("--discuss-seconds", type=click.IntRange(10, 3600), default=None, help="Discussion timer.")
@click.option("--previous", "previous_code", default=None, metavar="CODE",
              help="The earlier session this one follows up (its actions are reviewed, its votes compared).")
@click.option("--quorum", type=click.IntRange(1, 40), default=2, show_default=True,
              help="Players seated at a table before it may draw its first card.")
def rooms_create(deck_slug: str, teams: int, cards: int | None, title: str, facilitator: str | None, no_shuffle: bool,
                 pacing: str, second_vote: bool, predictions: bool, comfort: bool, vote_seconds: int | None,
                 discuss_seconds: int | None, previous_code: str | None, quorum: int) -> None:
    """Create a room; the join code is printed on the last line."""
    from sqlalchemy import select

    from game.extensions import get_db
    from game.play.rooms import RoomSpec, create_room
    from game.rules.errors import RuleViolation
    from game.rules.settings import RoomSettings
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
        if previous_code:
            from game.play.follow_up import earlier_room_owner

            try:  # the follow-up belongs to the earlier room's facilitator unless --facilitator says who
                owner, previous_code = earlier_room_owner(db, previous_code, owner, explicit=bool(facilitator))
            except RuleViolation as exc:
                raise click.ClickException(f"--previous {previous_code}: {text_in(DEFAULT, exc)}") from None
        spec = RoomSpec(deck_slug=deck_slug, team_names=tuple(f"Team {i}" for i in range(1, teams + 1)),
                        title=title, cards=cards, shuffle=not no_shuffle,
                        settings=RoomSettings(pacing=pacing, second_vote=second_vote, predictions=predictions,
                                              comfort=comfort, vote_seconds=vote_seconds,
                                              discuss_seconds=discuss_seconds, team_quorum=quorum),
                        previous_room_code=previous_code)
        try:
            code = create_room(db, owner, spec)
        except RuleViolation as exc:
            raise click.ClickException(text_in(DEFAULT, exc)) from None
    click.echo(code)


@cli.group()
def users() -> None:
    """Facilitator accounts."""


@users.command("create")
@click.argument("username", callback=_text_option)
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
            raise click.ClickException(text_in(DEFAULT, exc)) from None
    click.echo(f"created facilitator '{username}'")


@users.command("list")
def users_list() -> None:
    """List the facilitator accounts: username, rooms owned, created (UTC)."""
    from game.extensions import get_db
    from game.play.accounts import list_facilitators

    app = _app()
    with app.app_context():
        listed = list_facilitators(get_db())
    width = max((len(f.username) for f in listed), default=0)
    for f in listed:
        created = f.created_at.strftime("%Y-%m-%d %H:%M") if f.created_at else ""
        click.echo(f"{f.username:<{width}}  {f.rooms:>4} {'room ' if f.rooms == 1 else 'rooms'}  {created}".rstrip())
    if not listed:
        click.echo("no facilitator accounts", err=True)


@users.command("remove")
@click.argument("username", callback=_text_option)
@click.option("--rooms-to", "rooms_to", default=None, callback=_text_option, metavar="OTHER",
              help="Hand the account's rooms to this account (required when it owns rooms).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def users_remove(username: str, rooms_to: str | None, yes: bool) -> None:
    """Remove a facilitator account: every session and live connection of it ends; its saved room settings go
    with it; its rooms, with all their data, go to --rooms-to."""
    from game.extensions import get_db
    from game.play.accounts import facilitator_id_of, list_facilitators, remove_facilitator
    from game.rules.errors import RuleViolation

    app = _app()
    with app.app_context():
        db = get_db()
        account = facilitator_id_of(db, username)
        if account is None:
            raise click.ClickException(f"no facilitator '{username}'")
        heir = None
        if rooms_to is not None:
            heir = facilitator_id_of(db, rooms_to)
            if heir is None:
                raise click.ClickException(f"--rooms-to: no facilitator '{rooms_to}'")
            if heir == account:
                raise click.ClickException(f"--rooms-to: '{rooms_to}' is the account being removed; name another one")
        owned = next((f.rooms for f in list_facilitators(db) if f.username == username.strip()), 0)
        if owned and heir is None:
            raise click.ClickException(f"'{username}' owns {_rooms(owned)}: name an account to hand them to "
                                       f"with --rooms-to OTHER (or delete the rooms first)")
        if not yes:
            click.confirm(f"Remove facilitator '{username}'" + (f" and hand {_rooms(owned)} to '{rooms_to}'" if owned else "")
                          + "?", abort=True)
        try:
            moved = remove_facilitator(db, account, rooms_to=heir)
        except RuleViolation as exc:  # changed since the checks above
            raise click.ClickException(f"'{username}': {text_in(DEFAULT, exc)}") from None
    click.echo(f"removed facilitator '{username}'" + (f"; {_rooms(moved)} handed to '{rooms_to}'" if moved else ""))


def _rooms(n: int) -> str:
    return f"{n} room" if n == 1 else f"{n} rooms"


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


# --- Privacy (issue 8; docs/privacy.md): delete, export and purge rooms. ---


@rooms.command("delete")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def rooms_delete(code: str, yes: bool) -> None:
    """Delete a room with all its data (players, votes, arguments, decisions, share links)."""
    from game.extensions import get_db
    from game.play.privacy import delete_room
    from game.rules.errors import RuleViolation

    if not yes:
        click.confirm(f"Delete room {code} and everything in it?", abort=True)
    app = _app()
    with app.app_context():
        try:
            deleted = delete_room(get_db(), None, code)
        except RuleViolation as exc:
            raise click.ClickException(text_in(DEFAULT, exc)) from None
    click.echo(f"deleted room {deleted.code}: " + ", ".join(f"{n} {t}" for t, n in deleted.counts.items() if n))


@rooms.command("export")
@click.argument("code")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
def rooms_export(code: str, output: Path | None) -> None:
    """Export everything stored about a room as JSON (for a data subject's request or an archive)."""
    from game.extensions import get_db
    from game.play.privacy import export_room
    from game.rules.errors import RuleViolation

    app = _app()
    with app.app_context():
        try:
            data = export_room(get_db(), None, code)
        except RuleViolation as exc:
            raise click.ClickException(text_in(DEFAULT, exc)) from None
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output:
        write_private(output, (text + "\n").encode("utf-8"))
        click.echo(f"exported room {code} to {output}", err=True)
    else:
        click.echo(text)


@cli.command()
@click.option("--days", type=click.IntRange(1, None), default=None,
              help="Retention in days (default: ROOM_RETENTION_DAYS, 548 = 18 months).")
@click.option("--dry-run", is_flag=True, help="Only list the rooms that would be deleted.")
def purge(days: int | None, dry_run: bool) -> None:
    """Delete every room older than the retention period, with all its data (run it daily from cron)."""
    from game.extensions import get_db
    from game.play.privacy import expired_rooms
    from game.play.privacy import purge as purge_rooms

    app = _app()
    retention = days or app.config["ROOM_RETENTION_DAYS"]
    with app.app_context():
        codes = expired_rooms(get_db(), retention) if dry_run else purge_rooms(get_db(), retention)
    verb = "would purge" if dry_run else "purged"
    click.echo(f"{verb} {len(codes)} room(s) older than {retention} days" + (": " + " ".join(codes) if codes else ""))


def write_private(path: Path, data: bytes) -> None:
    """Write a file with HR data readable by its owner only (0600) from the first byte: created with that
    mode, never widened and narrowed later; an existing file is truncated and narrowed before writing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its old mode on O_CREAT: narrow it before any byte
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
    finally:
        os.close(fd)


# --- issue 3: the shared-vision report ---
@cli.command()
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "csv", "xlsx", "json"]), default="html", show_default=True,
              help="csv writes a ZIP with one CSV file per table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: rapport-CODE.<ext> in the current folder; '-' for stdout).")
@click.option("--min-group", type=click.IntRange(3, 20), default=5, show_default=True,
              help="Smallest role or team group shown in a breakdown (below 5 the report carries a warning).")
def report(code: str, fmt: str, output: Path | None, min_group: int) -> None:
    """Write a room's report (the same as the facilitator's download)."""
    from game.extensions import get_db
    from game.report.aggregate import ReportOptions
    from game.report.service import render, room_id_for_code, room_report
    from game.rules.errors import RuleViolation

    app = _app()
    with app.app_context():
        try:
            room_id = room_id_for_code(get_db(), code)
        except RuleViolation as exc:
            raise click.ClickException(text_in(DEFAULT, exc)) from None
        out = render(room_report(get_db(), room_id, ReportOptions(min_group=min_group)), fmt)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(out.body)
        return
    target = output or Path(out.filename)
    write_private(target, out.body)
    click.echo(str(target))
