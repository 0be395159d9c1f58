"""Entry points for the web and the CLI: build a room's report and render it in a format."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from game.report.aggregate import ReportOptions, build_report
from game.report.load import load_room
from game.report.model import Report
from game.rules.codes import normalise_join_code
from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import RoomRecord

FORMATS = ("html", "pdf", "csv", "xlsx", "json")


@dataclass(frozen=True)
class Rendered:
    body: bytes
    mimetype: str
    filename: str


def room_report(db: Database, room_id: int, options: ReportOptions = ReportOptions()) -> Report:
    """The report of one room (with its comparison, when it is linked to an earlier room)."""
    with db.transaction() as session:
        room = session.get(RoomRecord, room_id)
        if room is None:
            raise RuleViolation("report/not_found", "No session found.")
        data = load_room(session, room)
        previous_room = session.get(RoomRecord, room.previous_room_id) if room.previous_room_id else None
        previous = load_room(session, previous_room) if previous_room else None
    return build_report(data, previous, options)


def room_id_for_code(db: Database, typed_code: str, facilitator_id: int | None = None) -> int:
    """The room's id; with `facilitator_id`, only when that facilitator owns it."""
    code = normalise_join_code(typed_code or "")
    with db.transaction() as session:
        room = session.scalar(select(RoomRecord).where(RoomRecord.code == code)) if code else None
        if room is None or (facilitator_id is not None and room.facilitator_id != facilitator_id):
            raise RuleViolation("report/not_found", "No session with this code.")
        return room.id


def render(report: Report, fmt: str, **html_options) -> Rendered:  # noqa: ANN003
    """Render the report in one of FORMATS; a PDF or XLSX of the same content is made once (cache.py)."""
    from game.report.cache import CACHED_FORMATS, RENDERED, content_key

    if fmt in CACHED_FORMATS:
        return RENDERED.get_or_make(content_key(report, fmt), lambda: _render(report, fmt))
    return _render(report, fmt, **html_options)


def _render(report: Report, fmt: str, **html_options) -> Rendered:  # noqa: ANN003
    stem = ("rapport" if report.language == "nl" else "report") + (f"-{report.room.code}" if report.room.code else "")
    if fmt == "html":
        from game.report.render_html import render_html

        return Rendered(render_html(report, **html_options).encode("utf-8"), "text/html", f"{stem}.html")
    if fmt == "pdf":
        from game.report.render_pdf import render_pdf

        return Rendered(render_pdf(report), "application/pdf", f"{stem}.pdf")
    if fmt == "json":
        from game.report.render_json import render_json

        return Rendered(render_json(report), "application/json", f"{stem}.json")
    if fmt == "xlsx":
        from game.report.render_tables import render_xlsx

        return Rendered(render_xlsx(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{stem}.xlsx")
    if fmt == "csv":
        from game.report.render_tables import render_csv_zip

        return Rendered(render_csv_zip(report), "application/zip", f"{stem}-csv.zip")
    raise RuleViolation("report/format", "Choose a format from %(formats)s.", formats=", ".join(FORMATS))


def today() -> dt.date:
    return dt.date.today()
