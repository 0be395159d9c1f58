"""Decks as files: YAML (the `decks/` format) and CSV (one row per card), both ways, through game/decks.py's schema.

Import never half-succeeds: it returns a validated DeckSchema or raises DeckError listing every
problem as `file:row/card: field: message` (CSV rows are numbered as a spreadsheet shows them,
the header being row 1).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import yaml
from pydantic import ValidationError

from game.decks import (MAX_FILE_BYTES, CardSchema, DeckError, DeckProblem, DeckSchema, duplicate_problems, load_deck_bytes,
                        parse_deck)
from game.rules.cards import MAX_OPTIONS
from game.security import FORMULA_STARTS, neutralise_cell

MAX_PROMPTS = 5
OPTION_COLUMNS = tuple(f"option_{i}" for i in range(1, MAX_OPTIONS + 1))
PROMPT_COLUMNS = tuple(f"prompt_{i}" for i in range(1, MAX_PROMPTS + 1))
CSV_COLUMNS = ("id", "kind", "title", "text", *OPTION_COLUMNS, *PROMPT_COLUMNS, "themes")
REQUIRED_COLUMNS = ("id", "kind", "title", "text", "prompt_1")
FORMATS = ("yaml", "csv")


def format_of(filename: str) -> str | None:
    """'yaml' or 'csv' from a file name's extension, None for anything else."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"yml": "yaml", "yaml": "yaml", "csv": "csv"}.get(ext)


# --- export ----------------------------------------------------------------------------------------

class _DeckDumper(yaml.SafeDumper):
    """Long text as folded `>-` blocks and indented lists, as the hand-written deck files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    folded = len(value) > 100 and "\n" not in value and value == value.strip() and "  " not in value
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">" if folded else None)


_DeckDumper.add_representer(str, _str)


def plain(content: dict) -> dict:
    """Deck content in the file's key order, without empty optional card fields."""
    deck = {k: content[k] for k in ("slug", "title", "language", "description", "themes")}
    deck["cards"] = []
    for card in content["cards"]:
        out = {k: card[k] for k in ("id", "kind", "title", "text")}
        if card.get("options"):
            out["options"] = list(card["options"])
        out["prompts"] = list(card["prompts"])
        if card.get("themes"):
            out["themes"] = list(card["themes"])
        deck["cards"].append(out)
    return deck


def to_yaml(content: dict, version: int | None = None, when: dt.datetime | None = None) -> str:
    """A deck as a YAML file that `inzetspel decks validate` accepts and `decks/` can load."""
    head = f"# {content['title']}"
    if version is not None:
        head += f" (version {version}{when.strftime(', %Y-%m-%d') if when else ''})"
    body = yaml.dump(plain(content), Dumper=_DeckDumper, allow_unicode=True, sort_keys=False, width=100)
    return f"{head}\n# Exported from Inzetbaarheidsspel; the format is documented in docs/decks.md.\n{body}"


def to_csv(content: dict) -> bytes:
    """The cards of a deck as CSV, one row per card (UTF-8 with BOM, so spreadsheets read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in content["cards"]:
        options = list(card.get("options") or [])
        prompts = list(card.get("prompts") or [])
        writer.writerow([neutralise_cell(cell) for cell in (
            card["id"], card["kind"], card["title"], card["text"],
            *(options + [""] * MAX_OPTIONS)[:MAX_OPTIONS], *(prompts + [""] * MAX_PROMPTS)[:MAX_PROMPTS],
            ", ".join(card.get("themes") or []),
        )])
    return out.getvalue().encode("utf-8-sig")


# --- import ----------------------------------------------------------------------------------------

def from_yaml(raw: bytes, filename: str) -> DeckSchema:
    """An uploaded YAML deck (the slug comes from the file, not from its name)."""
    return load_deck_bytes(raw, filename)


def from_csv(raw: bytes, filename: str, base: dict) -> DeckSchema:
    """An uploaded CSV of cards, completed with `base` (slug, title, language, description, themes).

    When `base` has no themes, the deck's themes are the cards' themes in order of appearance.
    """
    cards, problems = cards_from_csv(raw, filename)
    if problems:  # the rows' problems and the file's doubled card ids, in one list
        raise DeckError(problems + duplicate_problems(filename, {"cards": cards}))
    themes = list(base.get("themes") or [])
    if not themes:
        for card in cards:
            themes += [t for t in card["themes"] if t not in themes]
    data = {**{k: base.get(k) for k in ("slug", "title", "language", "description")}, "themes": themes[:10], "cards": cards}
    return parse_deck(data, filename)


def cards_from_csv(raw: bytes, filename: str) -> tuple[list[dict], list[DeckProblem]]:
    """The rows of a CSV as card data, each checked by the card schema; every problem is collected."""

    def file_problem(message: str) -> tuple[list[dict], list[DeckProblem]]:
        return [], [DeckProblem(filename, "-", "(file)", message)]

    if len(raw) > MAX_FILE_BYTES:
        return file_problem(f"larger than {MAX_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return file_problem("not UTF-8 text (save the sheet as 'CSV UTF-8')")
    if "\x00" in text:
        return file_problem("not a text file (contains NUL bytes)")
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        return file_problem("empty: the first row must name the columns")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        problems = _header_problems(header, filename)
        if problems:
            return [], problems
        cards: list[dict] = []
        row_start = reader.line_num + 1
        for cells in reader:
            where = f"row {row_start}"
            row_start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                problems.append(DeckProblem(filename, where, "(row)", f"{len(cells)} cells but {len(header)} columns"))
                continue
            row = dict(zip(header, [_unneutralise(c) for c in [*cells, *[""] * (len(header) - len(cells))]]))
            card, columns = _card_from_row(row)
            problems += _card_problems(card, columns, filename, where)
            cards.append(card)
    except csv.Error as exc:
        return file_problem(f"not valid CSV at line {reader.line_num}: {exc}")
    if not cards and not problems:
        return file_problem("no cards: add one row per card below the header")
    return cards, problems


def _unneutralise(cell: str) -> str:
    """Undo the export's guard against spreadsheet formulas ('=... -> =...), so a round trip is exact."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _delimiter(header_line: str) -> str:
    """Comma, or the semicolon/tab a Dutch spreadsheet writes: whichever splits the header best."""
    return max((",", ";", "\t"), key=lambda d: len(set(header_line.strip().lower().split(d)) & set(CSV_COLUMNS)))


def _header_problems(header: list[str], filename: str) -> list[DeckProblem]:
    problems = []
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        hint = f" (a dilemma has at most {MAX_OPTIONS} options)" if any(re.fullmatch(r"option_\d+", h) for h in unknown) else ""
        problems.append(DeckProblem(filename, "row 1", "(columns)",
                                    f"unknown column(s) {', '.join(map(repr, unknown))}{hint}; the columns are {', '.join(CSV_COLUMNS)}"))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(DeckProblem(filename, "row 1", "(columns)", f"missing column(s) {', '.join(missing)}"))
    doubled = sorted({h for h in header if header.count(h) > 1})
    if doubled:
        problems.append(DeckProblem(filename, "row 1", "(columns)", f"column(s) {', '.join(doubled)} appear more than once"))
    return problems


def _card_from_row(row: dict[str, str]) -> tuple[dict, dict[str, list[str]]]:
    """A CSV row -> card data; blank option/prompt cells are left out (and which column each came from)."""
    columns = {"options": [c for c in OPTION_COLUMNS if row.get(c, "").strip()],
               "prompts": [c for c in PROMPT_COLUMNS if row.get(c, "").strip()]}
    card = {
        "id": row.get("id", "").strip(), "kind": row.get("kind", "").strip().lower(),
        "title": row.get("title", ""), "text": row.get("text", ""),
        "options": [row[c] for c in columns["options"]], "prompts": [row[c] for c in columns["prompts"]],
        "themes": [t for t in re.split(r"[,;\s]+", row.get("themes", "")) if t],
    }
    return card, columns


def _card_problems(card: dict, columns: dict[str, list[str]], filename: str, where: str) -> list[DeckProblem]:
    try:
        CardSchema.model_validate(card)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = list(err["loc"])
            if len(loc) == 2 and loc[0] in columns and isinstance(loc[1], int) and loc[1] < len(columns[loc[0]]):
                field = columns[loc[0]][loc[1]]
            else:
                field = ".".join(map(str, loc)) or "(card)"
            problems.append(DeckProblem(filename, f"{where} ({card['id']})" if card["id"] else where, field,
                                        err["msg"].removeprefix("Value error, ")))
        return problems
    return []
