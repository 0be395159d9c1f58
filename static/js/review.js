/* Reviewing a player's dilemma: the card form switches between dilemma and statement fields, and
   the new-deck fields show only when a new deck is chosen. (The deck editor's script needs a whole deck.) */
(function () {
  "use strict";
  const form = document.getElementById("review-form");
  if (!form) return;
  const card = form.querySelector(".card-form");
  // The radios list the kinds (from their definitions); the card form shows the chosen kind's fields.
  const radios = Array.from(form.querySelectorAll("[data-kind]"));
  radios.forEach((radio) => radio.addEventListener("change", () => {
    radios.forEach((r) => card.classList.toggle(`kind-${r.value}`, r.checked));
  }));
  const target = form.querySelector("[data-target]");
  const fields = form.querySelector("[data-new-deck]");
  const sync = () => { fields.hidden = target.value !== "__new__"; };
  target.addEventListener("change", sync);
  sync();
  const remove = card.querySelector("[data-remove]");  // the editor's "remove card" has no meaning here
  if (remove) remove.hidden = true;
})();
