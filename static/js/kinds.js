/* Card kinds as the server defines them (game/rules/kinds.py, handed over in the page config as
   `kinds`, words already in the page's language): how a choice is marked, what a player may predict,
   which stances an argument may take. The pages ask these; none tests a kind by its name.
   `card` is a card (anything with `kind`, and `choices` [{value, label}] where options are needed)
   or a kind's name. */
(function () {
  "use strict";
  const withOption = (text, option) => text.replace(/%\(option\)s/g, option);

  function create(defs) {
    const def = (card) => defs[typeof card === "string" ? card : card.kind];
    const mark = (card, value) => def(card).marks[value - 1];
    const choiceLabel = (card, value) => { const c = card.choices.find((x) => x.value === value); return c ? c.label : ""; };
    return {
      names: () => Object.keys(defs),  // in the definitions' order: the first is a new card's kind
      label: (card) => def(card).label,
      /* A choice as the tablet, the charts and the big screen mark it: A–D, or 1–5. */
      mark: mark,
      writtenOptions: (card) => def(card).written_options,
      /* What a player may predict as the team's majority: [{value, label}], an option or a side. */
      predictions: (card) => def(card).camps || card.choices.map((c) => ({ value: c.value, label: mark(card, c.value) })),
      /* The stances the argument form offers: [{value (a string), label}]. */
      stances: (card) => {
        const d = def(card);
        return d.stances ? d.stances.map((s) => ({ value: s.value, label: s.choice }))
          : card.choices.map((c) => ({ value: String(c.value), label: withOption(d.option_stance, c.label) }));
      },
      /* How a posted argument's stance reads (null: a stance the card does not have). */
      stanceLabel: (card, stance) => {
        const d = def(card);
        if (!d.stances) return withOption(d.option_stance, choiceLabel(card, stance));
        const s = d.stances.find((x) => x.value === stance);
        return s ? s.label : null;
      },
    };
  }

  window.inzetKinds = { create: create };
})();
