"""The deck pages' words, from the gettext catalogues in the request's language (docs/i18n.md).

`problem_text` translates the schema's English validation messages, so the editor, the importer and
`inzetspel decks validate` share one schema while a Dutch facilitator reads Dutch.
"""
from __future__ import annotations

import re

from flask_babel import gettext

from game.decks import DeckProblem
from game.i18n import N_


# The pages' words by key (the templates use `t.<key>`); English message ids, Dutch in the catalogue.
MESSAGES: dict[str, str] = {
    "library": N_("Card decks"),
    "edit_deck": N_("Edit deck"),
    "new_deck": N_("New deck"),
    "deck": N_("Deck"),
    "title": N_("Title"),
    "slug": N_("Deck code"),
    "language": N_("Language"),
    "slug_hint": N_("Lowercase letters, digits and hyphens; used as the file name when exporting."),
    "description": N_("Description"),
    "description_hint": N_("What is this deck for and who plays it?"),
    "themes": N_("Themes"),
    "themes_hint": N_("Theme tags separated by commas, e.g. gesprek-op-tijd, zelfinzicht."),
    "cards": N_("Cards"),
    "card": N_("Card"),
    "card_id": N_("Card code"),
    "card_id_hint": N_("Results refer to this code; do not change it once the deck has been played."),
    "kind": N_("Kind of card"),
    "card_title": N_("Headline"),
    "text": N_("Situation and question"),
    "text_statement": N_("The statement"),
    "options": N_("Options"),
    "option": N_("Option"),
    "optional": N_("optional"),
    "options_hint": N_("2 to 4 choices; give every choice a real cost and a real benefit."),
    "statement_hint": N_("Players answer on the fixed 5-point scale; a statement has no options."),
    "prompts": N_("Discussion questions"),
    "prompt": N_("Question"),
    "add_prompt": N_("Add a question"),
    "prompts_hint": N_("1 to 5 open questions for the discussion; two or three work best."),
    "card_themes": N_("Themes of this card"),
    "add_dilemma": N_("Add a dilemma"),
    "add_statement": N_("Add a statement"),
    "remove_card": N_("Remove card"),
    "move_up": N_("Up"),
    "move_down": N_("Down"),
    "moved_to": N_("Card moved to position"),
    "removed": N_("Card removed"),
    "added": N_("Card added"),
    "drag_hint": N_("Drag a card, or use the arrow buttons, to change the order."),
    "save": N_("Save as version %(n)s"),
    "save_new": N_("Create deck"),
    "cancel": N_("Cancel"),
    "saving_note": N_("Saving makes a new version. Sessions that already started keep their own version."),
    "preview": N_("On the tablet"),
    "vote_now": N_("Vote now"),
    "your_vote": N_("Your vote (nobody sees what you choose)"),
    "discuss": N_("Discuss together"),
    "empty_title": N_("(no headline yet)"),
    "empty_text": N_("(no text yet)"),
    "unsaved": N_("Unsaved changes"),
    "problems": N_("%(n)s problems found; nothing was saved."),
    "problems_1": N_("1 problem found; nothing was saved."),
    "no_js": N_("Adding and moving cards needs JavaScript; editing fields works without it."),
    "saved": N_("Saved as version %(n)s."),
    "unchanged": N_("No changes: no new version was made."),
    "created": N_("Deck '%(title)s' created."),
    "copy_of": N_("%(title)s (copy)"),
    "copied": N_("Copy made: you can now adapt the deck."),
    "restored": N_("Version %(old)s was restored as version %(n)s."),
    "imported": N_("'%(file)s' imported as %(title)s, version %(n)s."),
    "import_failed": N_("Nothing imported: '%(file)s' has %(n)s problems."),
    "import_failed_1": N_("Nothing imported: '%(file)s' has 1 problem."),
    "no_file": N_("Choose a file (.yml, .yaml or .csv)."),
    "too_large": N_("The file is too large (at most 1 MB)."),
    "read_only": N_("A bundled deck cannot be changed. Duplicate it to adapt it."),
    "row": N_("row"),
    "v_read_only": N_("A bundled deck cannot be changed. Duplicate it, or give the file another name."),
    "v_conflict": N_("Someone else saved a new version meanwhile. Open the deck again; your changes are still below."),
    "v_exists": N_("There is already a deck with this code; choose another."),
}

# The schema's English messages (pydantic's and game/decks.py's) -> Dutch. English passes unchanged.
_DUTCH: list[tuple[str, str]] = [
    (r"Field required", "Verplicht."),
    (r"String should have at least 1 character", "Vul dit in."),
    (r"String should have at least (\d+) characters", r"Minstens \1 tekens."),
    (r"String should have at most (\d+) characters?", r"Hooguit \1 tekens."),
    (r"String should match pattern .*", "Alleen kleine letters, cijfers en losse koppeltekens (bijv. mb-01)."),
    (r"List should have at least (\d+) items? after validation, not (\d+)", r"Minstens \1 nodig, nu \2."),
    (r"List should have at most (\d+) items? after validation, not (\d+)", r"Hooguit \1 toegestaan, nu \2."),
    (r"Input should be 'dilemma' or 'statement'", "Kies dilemma of stelling."),
    (r"Input should be 'nl' or 'en'", "Kies nl of en."),
    (r"Input should be .*", "Ongeldige waarde."),
    (r"Extra inputs are not permitted", "Onbekend veld: alleen de velden uit docs/decks.md zijn toegestaan."),
    (r"a dilemma needs (\d+) to (\d+) options, not (\d+)", r"Een dilemma heeft \1 tot \2 opties, niet \3."),
    (r"options must all be different", "De opties moeten allemaal verschillen."),
    (r"a statement has no options: .*", "Een stelling heeft geen opties: spelers antwoorden op de vaste 5-puntsschaal."),
    (r"card id '(.*)' appears more than once", r"Kaartcode '\1' komt meer dan eens voor."),
    (r"'(.*)' must be '(.*)'", r"'\1' moet '\2' zijn."),
    (r"'(.*)' must equal the file name '(.*)'", r"'\1' moet gelijk zijn aan de bestandsnaam '\2'."),
    (r"Remove the invisible control characters .*",
     "Haal de onzichtbare stuurtekens weg (zoals NUL, escapecodes of tekens die de schrijfrichting omdraaien)."),
    (r"This text shows nothing: .*", "Deze tekst toont niets: schrijf zichtbare letters of cijfers."),
    (r"not a deck: .*", "Geen kaartspel: het bestand moet slug, title, language, description, themes en cards bevatten."),
    (r"cannot read: .*", "Het bestand kan niet worden gelezen."),
    (r"larger than (\d+) bytes", r"Groter dan \1 bytes."),
    (r"not UTF-8 text \(save the sheet as 'CSV UTF-8'\)", "Geen UTF-8-tekst (sla het werkblad op als 'CSV UTF-8')."),
    (r"not UTF-8 text", "Geen UTF-8-tekst: sla het bestand op met de tekenset UTF-8."),
    (r"not a text file .*", "Geen tekstbestand."),
    # PyYAML's and the csv module's own explanations are English: the Dutch line names the place only
    (r"not valid YAML at line (\d+): .*", r"Geen geldige YAML in regel \1: controleer de inspringing, dubbele punten en aanhalingstekens."),
    (r"not valid YAML: nested too deeply", "Geen geldige YAML: te diep genest."),
    (r"not valid YAML.*", "Geen geldige YAML."),
    (r"not valid CSV at line (\d+): .*", r"Geen geldige CSV in regel \1."),
    (r"empty: .*", "Leeg: de eerste rij moet de kolommen noemen."),
    (r"no cards: .*", "Geen kaarten: zet onder de kopregel één rij per kaart."),
    (r"unknown column\(s\) (.*?)( \(a dilemma has at most (\d) options\))?; the columns are (.*)",
     r"Onbekende kolom(men) \1; de kolommen zijn \4."),
    (r"missing column\(s\) (.*)", r"Kolom(men) ontbreken: \1."),
    (r"column\(s\) (.*) appear more than once", r"Kolom(men) \1 komen meer dan eens voor."),
    (r"(\d+) cells but (\d+) columns", r"\1 cellen maar \2 kolommen."),
    (r"not a \.yml, \.yaml or \.csv file", "Geen .yml-, .yaml- of .csv-bestand."),
    (r"name the file after the deck.*", "Geef het bestand de naam van het spel, bijv. mijn-spel.csv."),
]


def text_for(_deck_language: str | None = None) -> dict[str, str]:
    """The words in the request's language: the pages follow the site's language, not the deck's
    (the argument, a deck's language, is accepted for older callers and does not choose the words)."""
    return {key: gettext(message) for key, message in MESSAGES.items()}


def problem_text(message: str, language: str) -> str:
    """One validation message in the page's language."""
    if language != "nl":
        return message[:1].upper() + message[1:]
    for pattern, dutch in _DUTCH:
        if re.fullmatch(pattern, message, flags=re.S):
            result = re.sub(pattern, dutch, message, flags=re.S)
            if "(a dilemma has at most" in message:
                result += " Een dilemma heeft hooguit 4 opties."
            return result
    return message


def problem_line(problem: DeckProblem, language: str) -> str:
    """`file:row/card: field: message` in the page's language."""
    card = problem.card.replace("row ", f"{gettext('row')} ")
    return f"{problem.file}:{card}: {problem.field}: {problem_text(problem.message, language)}"
