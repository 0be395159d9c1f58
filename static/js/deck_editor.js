/* The deck editor: pick, add, remove and reorder cards (drag and drop, or the arrow buttons and
   Alt+Arrow keys), a live preview of the card as the tablet shows it, and a warning before unsaved
   changes are lost. The server validates everything again; this script only arranges the form. */
(function () {
  "use strict";
  const form = document.getElementById("deck-editor");
  if (!form) return;
  const cfg = JSON.parse(document.getElementById("deck-editor-config").textContent);
  const t = cfg.t;
  const KINDS = window.inzetKinds.create(cfg.kinds);  // what differs between card kinds (kinds.js)
  const list = document.getElementById("card-list");
  const forms = document.getElementById("card-forms");
  const preview = document.getElementById("preview");
  const announce = document.getElementById("announce");
  const cardTpl = document.getElementById("card-template");
  const itemTpl = document.getElementById("item-template");
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  let dirty = form.closest("main").querySelector("#problems") !== null; // a refused save: the page holds unsaved work
  let saving = false;
  let current = null;
  let fresh = 0;

  form.classList.add("js");
  const cardOf = (uid) => forms.querySelector(`.card-form[data-uid="${uid}"]`);
  const itemOf = (uid) => list.querySelector(`.card-item[data-uid="${uid}"]`);
  const kindOf = (card) => { const r = card.querySelector("input[data-kind]:checked"); return r ? r.value : KINDS.names()[0]; };

  function setDirty() {
    dirty = true;
    document.querySelector("[data-dirty]").hidden = false;
  }

  function say(message) { announce.textContent = ""; window.setTimeout(() => { announce.textContent = message; }, 30); }

  function select(uid, focus) {
    current = uid;
    $$(".card-form", forms).forEach((c) => c.classList.toggle("active", c.dataset.uid === uid));
    $$(".card-item", list).forEach((li) => {
      const on = li.dataset.uid === uid;
      li.classList.toggle("active", on);
      li.querySelector("[data-select]").setAttribute("aria-current", on ? "true" : "false");
    });
    renderPreview();
    if (focus) { const f = cardOf(uid).querySelector("[data-field=title]"); if (f) f.focus(); }
  }

  function renumber() {
    $$(".card-item", list).forEach((li, i) => {
      li.querySelector(".num").textContent = i + 1;
      const card = cardOf(li.dataset.uid);
      card.querySelector(".card-num").textContent = `${t.card} ${i + 1}`;
      forms.appendChild(card); // keep the fieldsets in the list's order
    });
    document.querySelector("[data-count]").textContent = $$(".card-item", list).length;
  }

  function syncItem(card) {
    const li = itemOf(card.dataset.uid);
    const title = card.querySelector("[data-field=title]").value.trim();
    const kind = kindOf(card);
    KINDS.names().forEach((name) => card.classList.toggle(`kind-${name}`, name === kind));  // shows the kind's fields
    card.querySelector(".card-legend-title").textContent = title;
    li.querySelector(".item-title").textContent = title || t.empty_title;
    const dot = li.querySelector(".kind-dot");
    dot.className = `kind-dot kind-${kind}`;
    dot.title = KINDS.label(kind);
    li.querySelectorAll("[data-move]").forEach((b) => {
      b.setAttribute("aria-label", `${b.dataset.move === "-1" ? t.move_up : t.move_down}: ${title}`);
    });
  }

  function tidyPrompts(card) {
    // Show the filled questions plus one empty one; the button reveals the next.
    const boxes = $$("[data-prompt]", card);
    let shownEmpty = false;
    boxes.forEach((box) => {
      const filled = box.querySelector("textarea").value.trim() !== "" || box.classList.contains("has-error");
      const show = filled || !shownEmpty;
      if (!filled && show) shownEmpty = true;
      if (!box.contains(document.activeElement)) box.hidden = !show;
    });
    card.querySelector("[data-add-prompt]").hidden = boxes.every((b) => !b.hidden) || !shownEmpty;
  }

  function renderPreview() {
    const card = current && cardOf(current);
    if (!card) { preview.innerHTML = ""; return; }
    const val = (f) => card.querySelector(`[data-field=${f}]`).value.trim();
    const kind = kindOf(card);
    const language = document.getElementById("deck-language").value;
    const scale = cfg.scale[language] || cfg.scale.nl;
    const options = KINDS.writtenOptions(kind)
      ? $$("[data-field=option]", card).map((i) => i.value.trim()).filter(Boolean)
      : scale;
    const prompts = $$("[data-field=prompt]", card).map((i) => i.value.trim()).filter(Boolean);
    const deckTitle = document.getElementById("deck-title").value.trim();
    preview.innerHTML = `<div class="game-head"><div><span class="muted">${esc(deckTitle)}</span><h1>Team 1</h1></div>
        <div class="progress"><span class="phase-pill phase-vote">${esc(t.vote_now)}</span></div></div>
      <article class="card card-${kind}"><span class="kind">${esc(KINDS.label(kind))}</span>
        <h2>${esc(val("title") || t.empty_title)}</h2><p class="card-text">${esc(val("text") || t.empty_text)}</p></article>
      <h3>${esc(t.your_vote)}</h3>
      <div class="options">${options.map((o, i) => `<div class="option"><span class="num">${esc(KINDS.mark(kind, i + 1))}</span><span>${esc(o)}</span></div>`).join("")}</div>
      <h3>${esc(t.discuss)}</h3><ul class="prompts">${prompts.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`;
  }

  function nextId() {
    const ids = $$("[data-field=id]", forms).map((i) => i.value.trim());
    const counts = {};
    let max = 0;
    ids.forEach((id) => {
      const m = /^(.*?)-?(\d+)$/.exec(id);
      if (m) { counts[m[1]] = (counts[m[1]] || 0) + 1; max = Math.max(max, parseInt(m[2], 10)); }
    });
    const prefix = Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0] || "k";
    let n = max + 1;
    const pad = (x) => (x < 10 ? "0" : "") + x;
    while (ids.includes(`${prefix}-${pad(n)}`)) n += 1;
    return `${prefix}-${pad(n)}`;
  }

  function addCard(kind) {
    fresh += 1;
    const uid = `new${fresh}`;
    const index = 1000 + fresh; // any unused index; names are renumbered on save
    const fill = (tpl) => tpl.innerHTML.replaceAll("__UID__", uid).replaceAll("__I__", String(index));
    forms.insertAdjacentHTML("beforeend", fill(cardTpl));
    list.insertAdjacentHTML("beforeend", fill(itemTpl));
    const card = cardOf(uid);
    card.querySelector(`input[data-kind][value=${kind}]`).checked = true;
    card.querySelector("[data-field=id]").value = nextId();
    wireItem(itemOf(uid));
    syncItem(card);
    tidyPrompts(card);
    renumber();
    select(uid, true);
    setDirty();
    say(`${t.added}: ${$$(".card-item", list).length}`);
  }

  function removeCard(uid) {
    const li = itemOf(uid);
    const neighbour = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    cardOf(uid).remove();
    renumber();
    setDirty();
    say(t.removed);
    if (neighbour) select(neighbour.dataset.uid, false);
    else renderPreview();
  }

  function move(uid, delta) {
    const li = itemOf(uid);
    const items = $$(".card-item", list);
    const to = items.indexOf(li) + delta;
    if (to < 0 || to >= items.length) return;
    if (delta < 0) list.insertBefore(li, items[to]);
    else list.insertBefore(li, items[to].nextElementSibling);
    renumber();
    setDirty();
    say(`${t.moved_to} ${to + 1}`);
  }

  // --- drag and drop in the list ---
  let dragged = null;
  function wireItem(li) {
    li.addEventListener("dragstart", (e) => {
      dragged = li;
      li.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", li.dataset.uid);
    });
    li.addEventListener("dragend", () => {
      li.classList.remove("dragging");
      $$(".drop-before, .drop-after", list).forEach((x) => x.classList.remove("drop-before", "drop-after"));
      dragged = null;
    });
    li.addEventListener("dragover", (e) => {
      if (!dragged || dragged === li) return;
      e.preventDefault();
      const after = e.clientY > li.getBoundingClientRect().top + li.offsetHeight / 2;
      li.classList.toggle("drop-after", after);
      li.classList.toggle("drop-before", !after);
    });
    li.addEventListener("dragleave", () => li.classList.remove("drop-before", "drop-after"));
    li.addEventListener("drop", (e) => {
      e.preventDefault();
      if (!dragged || dragged === li) return;
      const after = li.classList.contains("drop-after");
      li.classList.remove("drop-before", "drop-after");
      list.insertBefore(dragged, after ? li.nextElementSibling : li);
      renumber();
      setDirty();
      say(`${t.moved_to} ${$$(".card-item", list).indexOf(dragged) + 1}`);
    });
  }

  // --- events ---
  list.addEventListener("click", (e) => {
    const li = e.target.closest(".card-item");
    if (!li) return;
    const mover = e.target.closest("[data-move]");
    if (mover) { move(li.dataset.uid, parseInt(mover.dataset.move, 10)); mover.focus(); return; }
    if (e.target.closest("[data-select]")) { e.preventDefault(); select(li.dataset.uid, false); }
  });
  list.addEventListener("keydown", (e) => {
    const li = e.target.closest(".card-item");
    if (!li || !e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
    e.preventDefault();
    move(li.dataset.uid, e.key === "ArrowUp" ? -1 : 1);
    e.target.focus();
  });
  forms.addEventListener("click", (e) => {
    const card = e.target.closest(".card-form");
    if (!card) return;
    if (e.target.closest("[data-remove]")) removeCard(card.dataset.uid);
    if (e.target.closest("[data-add-prompt]")) {
      const next = $$("[data-prompt]", card).find((b) => b.hidden);
      if (next) { next.hidden = false; next.querySelector("textarea").focus(); }
      tidyPrompts(card);
    }
  });
  form.addEventListener("input", (e) => {
    setDirty();
    const card = e.target.closest(".card-form");
    if (card) { syncItem(card); if (card.dataset.uid === current) renderPreview(); return; }
    if (e.target.id === "deck-title") document.querySelector("[data-meta-title]").textContent = e.target.value;
    renderPreview();
  });
  form.addEventListener("change", (e) => {
    const card = e.target.closest(".card-form");
    if (card) { syncItem(card); tidyPrompts(card); }
    setDirty();
    renderPreview();
  });
  document.querySelectorAll("[data-add]").forEach((b) => b.addEventListener("click", () => addCard(b.dataset.add)));

  form.addEventListener("submit", () => {
    // The list's order is the deck's order: number every field by it (two passes, so that radio
    // groups never share a name on the way).
    renumber();
    const cards = $$(".card-form", forms);
    [(i) => `tmp${i}-`, (i) => `cards-${i}-`].forEach((prefix) => cards.forEach((card, i) => {
      $$("[name]", card).forEach((el) => { el.name = el.name.replace(/^(cards|tmp)(-[^-]+-|\d+-)/, prefix(i)); });
    }));
    saving = true;
  });
  window.addEventListener("beforeunload", (e) => {
    if (dirty && !saving) { e.preventDefault(); e.returnValue = ""; }
  });

  // --- start ---
  $$(".card-item", list).forEach(wireItem);
  $$(".card-form", forms).forEach((card) => { syncItem(card); tidyPrompts(card); });
  if (dirty) setDirty();
  const firstBad = forms.querySelector(".card-form .has-error") || forms.querySelector(".card-form .error");
  const start = firstBad ? firstBad.closest(".card-form") : forms.querySelector(".card-form");
  if (start) select(start.dataset.uid, false);
  if (location.hash && location.hash.startsWith("#card-") && cardOf(location.hash.slice(6))) select(location.hash.slice(6), false);
})();
