"""The report as spreadsheet data: XLSX (openpyxl, one sheet per section) and CSV (a ZIP, one file per table)."""
from __future__ import annotations

import csv
import io
import zipfile

import datetime as dt

from game.report.model import Report
from game.report.sections import all_tables
from game.report.text import strings
from game.security import neutralise_cell  # player text never runs as a spreadsheet formula

HEADER_FILL = "1F4E5F"
DATE_FORMAT = "yyyy-mm-dd"


def render_xlsx(report: Report) -> bytes:
    """An XLSX workbook with one named sheet per section; header rows frozen and filtered."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for key, name, rows in all_tables(report, strings(report.language)):
        sheet = book.create_sheet(title=name[:31])
        for row in rows:
            sheet.append([neutralise_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = DATE_FORMAT
        if key not in ("session", "note") and rows:
            for cell in sheet[1]:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            sheet.freeze_panes = "A2"
            if len(rows) > 1:
                sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
        else:
            for row in sheet.iter_rows(min_col=1, max_col=1):
                row[0].font = Font(bold=True)
        sample = rows[:200]  # column widths from the first rows: the votes sheet has thousands
        widest = max(map(len, sample), default=0)
        for index, column in enumerate(zip(*[r + [None] * (widest - len(r)) for r in sample]), 1):
            width = max((len(str(v)) for v in column if v is not None), default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))
    book.properties.title = report.room.title
    book.properties.creator = "Inzetbaarheidsspel"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_csv_zip(report: Report) -> bytes:
    """A ZIP of RFC 4180 CSV files (UTF-8, comma-separated), one per table: votes.csv, actions.csv, ..."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, _, rows in all_tables(report, strings(report.language)):
            archive.writestr(f"{key}.csv", render_csv_table(rows))
    return out.getvalue()


def render_csv_table(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else neutralise_cell(v) for v in row])
    return buffer.getvalue()
