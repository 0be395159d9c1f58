"""The deck library for facilitators: browse, duplicate, edit (a new version per save), restore, import, export."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from game import deck_io
from game.decks import MAX_FILE_BYTES, SLUG, DeckError
from game.extensions import get_db
from game.i18n import LANGUAGES, current_language
from game.play import library
from game.security import MAX_ID
from game.rules.cards import SCALE_LABELS
from game.rules.errors import RuleViolation
from game.rules.text import text_problem
from game.web.auth import login_required
from game.web.deck_forms import CardForm, DeckForm, ImportForm, error_count, fill, parse, validate
from game.web.deck_text import problem_line, text_for
from game.web.forms import ConfirmForm

log = logging.getLogger(__name__)
bp = Blueprint("decks", __name__, url_prefix="/decks")
# An upload may be up to MAX_FILE_BYTES; a larger request is refused before it is read. The editor's
# form of a 200-card deck stays well below this.
MAX_REQUEST_BYTES = 3 * MAX_FILE_BYTES


@bp.before_request
def _limit_request_size() -> None:
    request.max_content_length = MAX_REQUEST_BYTES
    request.max_form_memory_size = MAX_REQUEST_BYTES


@bp.url_value_preprocessor
def _refuse_impossible_slugs(_endpoint: str | None, values: dict | None) -> None:
    """A deck code is lowercase letters, digits and hyphens: anything else (a NUL, which PostgreSQL
    refuses in a query, or 10,000 characters) names no deck, so 404 before any query."""
    slug = (values or {}).get("slug")
    if slug is not None and not (len(slug) <= 40 and SLUG.fullmatch(slug)):
        abort(404)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge):  # noqa: ANN202
    flash(text_for()["too_large"], "error")
    return redirect(url_for("decks.index"))


def _deck_or_404(slug: str, version: int | None = None) -> dict:
    if version is not None and not 0 < version <= MAX_ID:  # ?version=10**20 would overflow SQLite: a 500
        abort(404)
    try:
        return library.get_deck(get_db(), slug, version)
    except RuleViolation:
        abort(404)


def safe_file_name(filename: str) -> str:
    """The uploaded file's own name, shown in messages and the description: without folders and without
    the characters game/rules/text.py refuses (a NUL or an escape code in a name is not the user's text)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if text_problem(ch) is None).strip()[:120] or "upload"


def _author() -> str:
    return g.facilitator_name


@bp.route("")
@login_required
def index():  # noqa: ANN201
    """The library: own decks first, then the bundled ones; import and new deck."""
    decks = library.library(get_db())
    return render_template("decks/library.html", decks=decks, import_form=ImportForm(), confirm=ConfirmForm(),
                           problems=[], t=text_for())


@bp.route("/<slug>")
@login_required
def show(slug: str):  # noqa: ANN201
    """One deck: its cards (read-only), its versions with restore, export, duplicate."""
    deck = _deck_or_404(slug, request.args.get("version", type=int))
    rooms = next((d["rooms"] for d in library.library(get_db()) if d["slug"] == slug), [])
    return render_template("decks/deck.html", deck=deck, versions=library.deck_versions(get_db(), slug), rooms=rooms,
                           confirm=ConfirmForm(), t=text_for(), scale=SCALE_LABELS[deck["language"]])


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():  # noqa: ANN201
    """The editor on an empty deck; saving creates version 1."""
    language = request.args.get("language", "nl") if request.method == "GET" else request.form.get("language", "nl")
    blank = {"title": "", "language": language if language in LANGUAGES else "nl", "description": "", "themes": [],
             "cards": [{"id": "k-01", "kind": "dilemma", "title": "", "text": "", "options": [], "prompts": []}]}
    return _editor(None, blank)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):  # noqa: ANN201
    """The editor: deck details and cards; saving stores the next version."""
    deck = _deck_or_404(slug)
    if deck["bundled"]:
        flash(text_for()["read_only"], "error")
        return redirect(url_for("decks.show", slug=slug))
    return _editor(deck, deck["content"])


def _editor(deck: dict | None, content: dict):  # noqa: ANN202
    form = DeckForm()
    language = (form.language.data if request.method == "POST" else content["language"]) or "nl"
    t = text_for()
    general: list[str] = []
    if request.method == "GET":
        fill(form, content, deck["slug"] if deck else "")
        form.based_on.data = str(deck["version"]) if deck else ""
    elif form.validate_on_submit():
        slug = deck["slug"] if deck else ((form.slug.data or "").strip() or library.free_slug(get_db(), form.title.data or ""))
        parsed = parse(form, slug)
        schema, general = validate(form, parsed, current_language())  # messages in the page's language
        if schema is not None:
            try:
                if deck is None:
                    saved = library.create_deck(get_db(), schema.model_dump(), _author())
                    flash(t["created"] % {"title": schema.title})
                else:
                    based_on = int(form.based_on.data) if (form.based_on.data or "").isdigit() else None
                    saved = library.save_version(get_db(), deck["slug"], schema.model_dump(), _author(), based_on=based_on)
                    flash(t["saved" if saved.changed else "unchanged"] % {"n": saved.version})
                return redirect(url_for("decks.show", slug=saved.slug))
            except RuleViolation as exc:
                general.append(_violation(exc, t))
    else:
        abort(400)
    failed = request.method == "POST"
    return render_template("decks/editor.html", form=form, deck=deck, t=t, general=general, language=language,
                           next_version=(deck["latest"] + 1) if deck else 1, scale=SCALE_LABELS,
                           failed=failed, problem_count=len(general) + error_count(form),
                           blank=CardForm(prefix="cards-__I__-")), 422 if failed else 200


def _violation(exc: RuleViolation, t: dict[str, str]) -> str:
    """A library refusal in the page's language (the code names the message)."""
    return t.get(exc.code.replace("deck/", "v_"), exc.message)


@bp.route("/<slug>/duplicate", methods=["POST"])
@login_required
def duplicate(slug: str):  # noqa: ANN201
    """Copy a deck (bundled or own) into a new own deck and open it in the editor."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    deck = _deck_or_404(slug)
    t = text_for()
    title = (t["copy_of"] % {"title": deck["title"]})[:120]
    saved = library.duplicate_deck(get_db(), slug, library.free_slug(get_db(), title), title, _author())
    flash(t["copied"])
    return redirect(url_for("decks.edit", slug=saved.slug))


@bp.route("/<slug>/versions/<int:version>/restore", methods=["POST"])
@login_required
def restore(slug: str, version: int):  # noqa: ANN201
    """Make an older version the newest again (as a new version)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _deck_or_404(slug, version)  # 404 for a version that does not exist
    t = text_for()
    try:
        saved = library.restore_version(get_db(), slug, version, _author())
    except RuleViolation as exc:
        flash(_violation(exc, t), "error")
    else:
        flash(t["restored"] % {"old": version, "n": saved.version} if saved.changed else t["unchanged"])
    return redirect(url_for("decks.show", slug=slug))


@bp.route("/<slug>/export.<fmt>")
@login_required
def export(slug: str, fmt: str):  # noqa: ANN201
    """Download a version as YAML (the decks/ format) or CSV (one row per card)."""
    deck = _deck_or_404(slug, request.args.get("version", type=int))
    if fmt == "yml":
        body, mimetype = deck_io.to_yaml(deck["content"], deck["version"], deck["created_at"]), "application/yaml"
    elif fmt == "csv":
        body, mimetype = deck_io.to_csv(deck["content"]), "text/csv"
    else:
        abort(404)
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{slug}.{fmt}"', "Cache-Control": "no-store"})


@bp.route("/import", methods=["POST"])
@login_required
def upload():  # noqa: ANN201
    """Upload YAML or CSV: a new deck or the next version of an own deck; nothing at all when anything is wrong."""
    form = ImportForm()
    t = text_for()
    problems: list[str] = []
    if not form.validate_on_submit():
        abort(400)
    file = form.file.data
    if not file or not file.filename:
        problems.append(t["no_file"])
    else:
        name = safe_file_name(file.filename)
        raw = file.stream.read(MAX_FILE_BYTES + 1)
        new_deck = {"title": (form.title.data or "").strip() or name.rsplit(".", 1)[0], "language": form.language.data,
                    "description": f"Geïmporteerd uit {name}." if form.language.data == "nl" else f"Imported from {name}."}
        try:
            saved = library.import_file(get_db(), raw, name, _author(), new_deck)
        except DeckError as exc:
            log.warning("deck upload refused: %s: %s problem(s), first: %s", name, len(exc.problems), exc.problems[0])
            problems.append(t["import_failed_1" if len(exc.problems) == 1 else "import_failed"] % {"file": name, "n": len(exc.problems)})
            problems += [problem_line(p, current_language()) for p in exc.problems]
        except RuleViolation as exc:
            problems.append(f"{name}: {_violation(exc, t)}")
        else:
            deck = library.get_deck(get_db(), saved.slug)
            flash(t["imported"] % {"file": name, "title": deck["title"], "n": saved.version} if saved.changed else t["unchanged"])
            return redirect(url_for("decks.show", slug=saved.slug))
    decks = library.library(get_db())
    return render_template("decks/library.html", decks=decks, import_form=form, confirm=ConfirmForm(),
                           problems=problems, t=t), 422
