"""The report PDF laid out in two processes at once, then put together.

WeasyPrint lays a document out in one thread, at about 1 ms per line of text: a 40-card report takes
about 5 s of one core (docs/report.md, Performance). Card chapters start on a page of their own, so
the document splits cleanly between two cards: each half is laid out by its own process, and the
halves are joined with pypdf. What crosses the split is put right after the layout:

- page numbers ("x / y"): stamped on the joined pages (the parts lay out no page number);
- the contents on the cover: laid out again as a one-page document with the final page numbers;
- links to an anchor in the other half: each part carries empty placeholders for the other part's
  anchors, so WeasyPrint keeps the link (a named destination); the joined PDF names only the owners;
- bookmarks (the PDF outline): rebuilt from both parts' headings, nested by level.

Anything unexpected (a cover of more than one page, a part that fails) falls back to one layout.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

CARD_START = '<section class="card-page" id="card-'
SUMMARY_START = '<section class="chapter" id="summary">'
_IDS = re.compile(r'\sid="([^"]+)"')
_TOC = re.compile(r'(<nav class="toc".*?</nav>)', re.S)
_TOC_LINK = re.compile(r'<a href="#([^"]+)">')

# Page numbers as report-print.css draws them: 8 pt, #5b6b77, right-aligned in the bottom-right margin
# box (right margin 17 mm; baseline where WeasyPrint puts the bottom-left text, 25.6 pt from the edge).
# Helvetica is one of the PDF's standard fonts (Liberation Sans, the report's font, has its metrics);
# the digits, the space and "/" are all that is drawn.
STAMP_SIZE_PT = 8.0
STAMP_RIGHT_PT = 17 / 25.4 * 72
STAMP_BASELINE_PT = 25.58
STAMP_RGB = (0x5B / 255, 0x6B / 255, 0x77 / 255)
_HELVETICA_WIDTHS = {**{d: 556 for d in "0123456789"}, " ": 278, "/": 278}  # per 1,000 units of the em

# Laid out in the parts: no page number (stamped later), and the placeholders take no room.
PART_CSS = ("<style>@page { @bottom-right { content: none; } } "
            ".pdf-anchors { height: 0; overflow: hidden; margin: 0; padding: 0; }</style>")
COVER_CSS = '<style>.toc a::after { content: leader(".") attr(data-page); }</style>'


@dataclass(frozen=True)
class Parts:
    """The document cut between two cards: each part a whole HTML document."""

    documents: tuple[str, str]
    owners: dict[str, int]   # anchor -> the part that really has it
    cover: str               # the cover alone, with placeholders; its contents get the page numbers later


def split(html: str) -> Parts | None:
    """Two halves of about the same length, cut before a card (never the first: the chapter title
    stays with it); None when the document has no place to cut."""
    head_end = html.index("</head>")
    body_open = html.index('<div class="running-title"')
    body_start = html.index("</div>", body_open) + len("</div>")  # the running title goes into every part
    body_end = html.rindex("</body>")
    body = html[body_start:body_end]
    cards = [m.start() for m in re.finditer(re.escape(CARD_START), body)]
    if len(cards) < 2 or SUMMARY_START not in body:
        return None
    cut = min(cards[1:], key=lambda at: abs(at - len(body) / 2))
    halves = (body[:cut], body[cut:])
    ids = [_IDS.findall(half) for half in halves]
    owners: dict[str, int] = {}
    for part, names in enumerate(ids):
        for name in names:
            owners.setdefault(name, part)
    head = html[:head_end] + PART_CSS + html[head_end:body_open]
    running_title, end = html[body_open:body_start], html[body_end:]
    # The second part opens with a card, whose break-before would leave a blank page after a running
    # title standing before it: the title goes inside the card instead.
    opening = halves[1].index(">") + 1
    second = halves[1][:opening] + running_title + halves[1][opening:]
    cover = body[:body.index(SUMMARY_START)]
    in_cover = set(_IDS.findall(cover))
    return Parts(
        documents=(head + running_title + halves[0] + _placeholders(ids[1]) + end,
                   head + second + _placeholders(ids[0]) + end),
        owners=owners,
        cover=(head.replace(PART_CSS, PART_CSS + COVER_CSS) + running_title + cover
               + _placeholders([n for n in owners if n not in in_cover]) + end),
    )


def _placeholders(names: list[str]) -> str:
    return '<div class="pdf-anchors">' + "".join(f'<span id="{n}"></span>' for n in dict.fromkeys(names)) + "</div>"


def cover_with_page_numbers(cover: str, pages: dict[str, int]) -> str:
    """The cover's contents with each entry's page number written in (1-based)."""
    def number(match: re.Match) -> str:
        return _TOC_LINK.sub(lambda a: f'<a href="#{a.group(1)}" data-page="{pages.get(a.group(1), "")}">', match.group(1))

    return _TOC.sub(number, cover, count=1)


def anchor_pages(parts: list["Laid"], owners: dict[str, int]) -> dict[str, int]:
    """Each anchor's page index in the joined PDF: where its owner part has it, after the parts before."""
    offsets = [sum(p.pages for p in parts[:i]) for i in range(len(parts))]
    return {name: offsets[part] + parts[part].anchors[name] for name, part in owners.items() if name in parts[part].anchors}


@dataclass
class Laid:
    """One part after layout: its PDF, and where its anchors and headings are."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]                                    # anchor -> page index in the part
    bookmarks: list[tuple[int, str, int, float, float]]       # (level, label, page index, x, y) in CSS px


def lay_out(document, **write_options) -> Laid:  # noqa: ANN001 (a weasyprint.HTML)
    rendered = document.render()
    anchors: dict[str, int] = {}
    bookmarks = []
    for index, page in enumerate(rendered.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
        bookmarks += [(level, label, index, x, y) for level, label, (x, y), _state in page.bookmarks]
    return Laid(rendered.write_pdf(**write_options), len(rendered.pages), anchors, bookmarks)


def join(cover: Laid, parts: list[Laid], owners: dict[str, int]) -> bytes:
    """The cover, the first part without its own cover page, the second part: one PDF with page
    numbers, named destinations of the anchors' owners and one outline."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, Destination, DictionaryObject, Fit, NameObject

    readers = [PdfReader(io.BytesIO(p.pdf)) for p in (cover, *parts)]
    writer = PdfWriter()
    writer.append(readers[0], import_outline=False)
    writer.append(readers[1], pages=(1, len(readers[1].pages)), import_outline=False)
    writer.append(readers[2], import_outline=False)
    if readers[1].metadata:
        writer.add_metadata(dict(readers[1].metadata))
    offsets = [0, parts[0].pages]  # where each part's page 0 lands in the whole (its cover page is replaced)
    total = len(writer.pages)

    # Named destinations: each anchor where its owner has it (the placeholders are left out).
    _drop_named_destinations(writer)
    height = float(writer.pages[0].mediabox.height)
    named = [reader.named_destinations for reader in readers[1:]]  # a pypdf property that reads the whole tree
    for name, index in sorted(anchor_pages(parts, owners).items()):
        dest = named[owners[name]].get(name)
        if dest is None or index == 0:  # the cover links to the chapters but is no link target itself
            continue
        writer.add_named_destination_object(
            Destination(name, writer.pages[index].indirect_reference, Fit.xyz(left=dest.left, top=dest.top, zoom=0)))

    # Page numbers, as the single layout draws them (not on the cover).
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))
    save = DecodedStreamObject()
    save.set_data(b"q")
    save = writer._add_object(save)
    for index in range(1, total):
        page = writer.pages[index]
        text = f"{index + 1} / {total}"
        width = sum(_HELVETICA_WIDTHS[c] for c in text) * STAMP_SIZE_PT / 1000
        x = float(page.mediabox.width) - STAMP_RIGHT_PT - width
        stream = DecodedStreamObject()
        stream.set_data(("Q q %.3f %.3f %.3f rg BT /FPageNo %.1f Tf %.2f %.2f Td (%s) Tj ET Q"
                         % (*STAMP_RGB, STAMP_SIZE_PT, x, STAMP_BASELINE_PT, text)).encode("ascii"))
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
        fonts[NameObject("/FPageNo")] = font
        # WeasyPrint's content flips the coordinates without restoring them: it goes between q and Q.
        contents = page.get("/Contents")
        array = ArrayObject(contents.get_object() if isinstance(contents.get_object(), ArrayObject) else [contents])
        array.insert(0, save)
        array.append(writer._add_object(stream))
        page[NameObject("/Contents")] = array

    # One outline from both parts' headings, nested by level as WeasyPrint nests them.
    marks = [(level, label, index, x, y) for level, label, index, x, y in cover.bookmarks if index == 0]
    for part, laid in enumerate(parts):
        marks += [(level, label, offsets[part] + index, x, y) for level, label, index, x, y in laid.bookmarks
                  if not (part == 0 and index == 0)]
    stack: list[tuple[int, object]] = []
    for level, label, index, x, y in marks:
        while stack and stack[-1][0] >= level:
            stack.pop()
        item = writer.add_outline_item(title=label, page_number=index, parent=stack[-1][1] if stack else None,
                                       fit=Fit.xyz(left=x * 0.75, top=height - y * 0.75, zoom=0))
        stack.append((level, item))
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _drop_named_destinations(writer) -> None:  # noqa: ANN001
    """pypdf copies each part's names (placeholders included); the joined PDF gets its own."""
    from pypdf.generic import NameObject

    names = writer._root_object.get("/Names")
    if names is not None and "/Dests" in names.get_object():
        del names.get_object()[NameObject("/Dests")]
