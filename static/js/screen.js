/* The big screen: the room's shared picture, read from the back of the room. The server sends its own
   view (game/rules/screen_view.py): no names, no roles, and only figures the privacy gate released.
   Join code and QR stay in a corner all session; plenary: the card, who has voted (counts), the result,
   the discussion prompt; team pacing: every table's progress, the room's emerging picture, themes and
   points; at the end: "Afgelopen", thanks and the headline results. */
(function () {
  "use strict";
  const CFG = JSON.parse(document.getElementById("inzet-config").textContent);
  const PH = CFG.phases;
  const KINDS = window.inzetKinds.create(CFG.kinds);  // what differs between card kinds (kinds.js)
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const _ = window.i18n.gettext, ngettext = window.i18n.ngettext;  // texts from the gettext catalogues (i18n.js)
  const LABEL = { [PH.DRAW]: _("Next card"), [PH.VOTE]: _("Voting"), [PH.DISCUSS]: _("Discussing"), [PH.REVOTE]: _("Second vote"),
    [PH.DECIDE]: _("Deciding"), [PH.FINISHED]: _("Done") };
  let S = CFG.state;
  let deadline = null;
  // Team pacing: the room's picture shows at most this many cards (the latest); fewer beside many tables.
  const PICTURE_CARDS = 6, PICTURE_CARDS_MANY_TABLES = 4, MANY_TABLES = 6;
  const socket = io({ auth: { screen: CFG.token, code: CFG.code }, transports: ["websocket", "polling"], query: { lang: window.i18n.language } });
  socket.on("screen", (state) => { S = state; render(); });
  socket.on("screen_voted", (d) => {  // a count for one table; a missed step waits for the next whole state
    const t = S.tables.find((x) => x.id === d.team_id);
    if (!t || d.version <= t.version || d.round !== t.round || d.phase !== t.phase) return;
    const before = t.votes_cast;
    t.version = d.version; t.votes_cast = d.votes_cast;
    if (S.current && S.current.round === d.round) S.current.votes_cast += d.votes_cast - before;
    render();
  });

  setInterval(() => {
    const el = document.getElementById("screen-timer");
    if (deadline === null) { el.textContent = ""; return; }
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    el.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    el.classList.toggle("low", left <= 10);
  }, 500);

  // A deck's themes are slugs ("regionale-mobiliteit"): shown as words ("Regionale mobiliteit").
  const themeTitle = (slug) => { const words = String(slug).replace(/[-_]+/g, " ").trim(); return words.charAt(0).toUpperCase() + words.slice(1); };
  const mark = KINDS.mark;
  const label = (card, value) => { const c = card.choices.find((x) => x.value === value); return c ? c.label : ""; };

  function render() {
    const room = S.room;
    document.getElementById("join-panel").hidden = S.started || S.finished;
    document.getElementById("corner-join").hidden = !(S.started && !S.finished);
    document.getElementById("joined-count").textContent = _("%(players)s at %(tables)s", {
      players: ngettext("%(num)s player", "%(num)s players", S.player_count), tables: ngettext("%(num)s table", "%(num)s tables", S.tables.length) });
    const timed = S.tables.filter((t) => t.seconds_left != null && !t.paused);
    deadline = timed.length && !S.finished ? Date.now() + Math.min(...timed.map((t) => t.seconds_left)) * 1000 : null;
    const notes = (room.paused ? `<p class="screen-message">${_("Break")}</p>` : "") + (room.message ? `<p class="screen-message">${esc(room.message)}</p>` : "");
    let stage, side;
    if (S.finished) { stage = ending(); side = leaderboard(); }
    else if (!S.started) { stage = lobby(); side = ""; }
    else if (room.pacing === "plenary") {
      // Many tables: their counts go under the card (a grid), the side column keeps the prompts and points.
      const many = seatedTables().length > MANY_TABLES;
      stage = plenary() + (many && !discussing() ? progressGrid() : "");
      side = (discussing() ? prompts() : many ? "" : progress()) + leaderboard();
    }
    else { stage = tables() + picture() + themes(); side = leaderboard(); }
    document.getElementById("stage").innerHTML = notes + stage;
    document.getElementById("side").innerHTML = side;
    document.getElementById("side").hidden = !side;
    // Bar widths via the CSSOM: the Content-Security-Policy forbids inline style attributes.
    document.querySelectorAll("[data-pct]").forEach((el) => { el.style.width = el.dataset.pct + "%"; });
    fit();
  }

  function fit() {
    // A projector cannot scroll: a long card, long options or many prompts are set smaller, step by step,
    // until the whole picture fits the screen (large type wherever it fits).
    const main = document.getElementById("main");
    const levels = ["tight", "dense", "denser"];
    main.classList.remove(...levels);
    for (const level of levels) {
      if (document.documentElement.scrollHeight <= window.innerHeight) return;
      main.classList.remove(...levels);
      main.classList.add(level);
    }
  }
  window.addEventListener("resize", fit);

  function lobby() {
    // While people join: how many sit at each table (no names, nothing about votes exists yet).
    return `<div class="tiles lobby${S.tables.length > MANY_TABLES ? " many" : ""}">${S.tables.map((t) => `<div class="tile"><h3>${esc(t.name)}</h3>
      <p class="big-num">${ngettext("%(num)s player", "%(num)s players", t.seated)}</p></div>`).join("")}</div>`;
  }

  function cardBlock(card, round, total, compact) {
    // Compact (title only) once the result and the prompt need the room: everyone has read the card by then.
    return `<article class="card card-${card.kind}${compact ? " compact" : ""}" data-testid="screen-card"><span class="kind">${esc(KINDS.label(card))} · ${_("card %(n)s of %(total)s", { n: round, total: total })}</span>
      <h2 lang="${esc(S.room.language)}">${esc(card.title)}</h2><p class="card-text" lang="${esc(S.room.language)}">${esc(card.text)}</p>
      ${compact ? "" : choices(card)}</article>`;
  }

  function choices(card) {
    // While the room votes, the options (or the scale's points) are read from the screen as from the tablets.
    return `<ol class="screen-choices screen-choices-${card.kind}" data-testid="screen-choices">${card.choices.map((c) =>
      `<li><span class="choice-mark">${mark(card, c.value)}</span><span lang="${esc(S.room.language)}">${esc(c.label)}</span></li>`).join("")}</ol>`;
  }

  function plenary() {
    const cur = S.current;
    const last = S.cards.length ? S.cards[S.cards.length - 1] : null;
    if (!cur && !last) return `<p class="vote-meter">${_("The next card is coming…")}</p>`;
    const round = cur ? cur.round : last.round;
    const card = cur ? cur.card : last.card;
    const entry = S.cards.find((c) => c.round === round);
    const compact = !(cur && cur.voting_tables) && !!(entry && (entry.first || entry.second));
    let html = cardBlock(card, round, S.room.cards_total, compact);
    if (cur && cur.voting_tables) {
      const pct = cur.votes_needed ? Math.round((100 * cur.votes_cast) / cur.votes_needed) : 0;
      html += `<div class="vote-meter" data-testid="vote-meter"><p>${cur.ballot === 2 ? _("Second vote") + " · " : ""}${_("%(cast)s of %(needed)s have voted", { cast: `<strong>${cur.votes_cast}</strong>`, needed: cur.votes_needed })}</p>
        <span class="meter" aria-hidden="true"><span class="meter-fill" data-pct="${pct}"></span></span></div>`;
    } else if (entry && (entry.first || entry.second)) {
      html += result(entry.card, entry.second || entry.first, entry.second ? _("After the discussion") : _("The room's vote"));
      if (entry.second && entry.first) html += `<p class="muted before">${_("Before the discussion")}: ${summary(entry.card, entry.first.room)}</p>`;
    } else if (cur && cur.phases.some((p) => p !== PH.VOTE && p !== PH.REVOTE)) {
      html += `<p class="vote-meter">${_("The result appears when every table has voted.")}</p>`;
    }
    return html;
  }

  function discussing() {
    const cur = S.current;
    return !!(cur && cur.card.prompts.length && cur.phases.every((p) => p === PH.DISCUSS || p === PH.DECIDE));
  }

  function prompts() {
    // While the tables talk: the card's discussion prompts, in the side column beside the result.
    return `<section class="prompts" data-testid="screen-prompt"><h2>${_("Discuss")}</h2><ul>${S.current.card.prompts.map((p) => `<li lang="${esc(S.room.language)}">${esc(p)}</li>`).join("")}</ul></section>`;
  }

  function summary(card, r) {
    if (!r) return _("not shown (fewer than %(n)s votes)", { n: S.room.min_group });
    if (r.unanimous) return _("everyone agreed: %(choice)s", { choice: `${mark(card, r.leader)} ${esc(label(card, r.leader))}` });
    return card.choices.map((c, i) => `${mark(card, c.value)} ${Math.round((100 * r.counts[i]) / r.n)}%`).join(" · ");
  }

  function bar(card, r, big) {
    if (r.unanimous) {
      return `<p class="agreed${big ? " agreed-big" : ""}">${_("Everyone agreed")}: <strong>${mark(card, r.leader)}</strong> ${esc(label(card, r.leader))}</p>`;
    }
    // Widths exact (rounded labels need not add up to 100: the bar must still fill), labels rounded.
    const segs = card.choices.map((c, i) => ({ c: c, width: (100 * r.counts[i]) / r.n, pct: Math.round((100 * r.counts[i]) / r.n) })).filter((x) => x.width > 0);
    return `<span class="stack${big ? " stack-big" : ""}">${segs.map((x) => `<span class="seg seg-${x.c.value}" data-pct="${x.width.toFixed(3)}" aria-hidden="true">${x.pct >= 8 ? `${mark(card, x.c.value)} ${x.pct}%` : ""}</span>`).join("")}</span>
      <span class="sr-only">${segs.map((x) => `${mark(card, x.c.value)}: ${x.pct}%`).join(", ")}</span>`;
  }

  function result(card, res, title) {
    const legend = card.choices.map((c) => `<li><span class="swatch seg-${c.value}" aria-hidden="true"></span><strong>${mark(card, c.value)}</strong> ${esc(c.label)}</li>`).join("");
    const room = res.room ? bar(card, res.room, true) : `<p class="withheld" data-testid="withheld">${_("Not shown: fewer than %(n)s votes, or a table too small to stay anonymous.", { n: S.room.min_group })}</p>`;
    const names = new Map(S.tables.map((t) => [t.id, t.name]));
    const rows = res.tables.map((t) => `<tr><th scope="row">${esc(names.get(t.team_id))}</th><td class="stack-cell">${bar(card, t, false)}</td></tr>`).join("");
    const hidden = S.tables.filter((t) => t.seated && !res.tables.some((x) => x.team_id === t.id)).length;
    return `<section class="diverge-block result diverge-${card.kind}" data-testid="screen-result" aria-labelledby="result-title"><h2 id="result-title">${title}</h2>
      <ul class="legend legend-${card.kind}">${legend}</ul>${room}
      ${rows ? `<h3>${res.agree === true ? _("The tables agree") : res.agree === false ? _("Where the tables differ") : _("Per table")}</h3>
      <table class="diverge diverge-${card.kind}${res.tables.length > 4 ? " many" : ""}"><caption class="sr-only">${_("Distribution of the votes per table")}</caption><tbody>${rows}</tbody></table>` : ""}
      ${hidden ? `<p class="muted">${ngettext("%(num)s table is not shown on its own (too few players to stay anonymous).", "%(num)s tables are not shown on their own (too few players to stay anonymous).", hidden)}</p>` : ""}</section>`;
  }

  // Once play has started, a table nobody sits at is left out (while people join, the lobby shows it with 0).
  const seatedTables = () => S.tables.filter((t) => t.seated > 0);

  function progress() {
    return `<section class="side-block"><h2>${_("Tables")}</h2><ul class="table-list">${seatedTables().map((t) => `<li><span>${esc(t.name)}</span>
      <span class="phase-pill phase-${t.phase}">${LABEL[t.phase]}</span>${t.votes_cast != null ? `<span class="count">${t.votes_cast}/${t.votes_needed}</span>` : ""}</li>`).join("")}</ul></section>`;
  }

  function progressGrid() {
    return `<section class="diverge-block table-grid-block"><h2>${_("Tables")}</h2><ul class="table-grid">${seatedTables().map((t) => `<li>
      <span class="tile-name">${esc(t.name)}</span>${t.votes_cast != null ? `<span class="count">${t.votes_cast}/${t.votes_needed}</span>`
        : `<span class="phase-pill phase-${t.phase}">${LABEL[t.phase]}</span>`}</li>`).join("")}</ul></section>`;
  }

  function tables() {
    // Many tables: smaller tiles, so that every table and the room's picture fit the projector without scrolling;
    // Many tables: the name gets the tile's whole width, the phase goes to the line below.
    const shown = seatedTables(), many = shown.length > MANY_TABLES;
    return `<div class="tiles progress-tiles${many ? " many" : ""}" data-testid="screen-tables">${shown.map((t) => {
      const pct = t.cards_total ? Math.round((100 * t.rounds_done) / t.cards_total) : 0;
      const pill = `<span class="phase-pill phase-${t.phase}">${LABEL[t.phase]}</span>`;
      return `<div class="tile"><h3><span class="tile-name">${esc(t.name)}</span>${many ? "" : ` ${pill}`}</h3>
        <p>${many ? `${pill} ` : ""}${_("Card %(n)s of %(total)s", { n: Math.min(t.round, t.cards_total), total: t.cards_total })}${t.votes_cast != null ? ` · <strong>${_("%(cast)s of %(needed)s voted", { cast: t.votes_cast, needed: t.votes_needed })}</strong>` : ""}</p>
        <span class="meter" aria-hidden="true"><span class="meter-fill" data-pct="${pct}"></span></span>
        ${t.card_title ? `<p class="muted tile-card" lang="${esc(S.room.language)}">${esc(t.card_title)}</p>` : ""}</div>`;
    }).join("")}</div>`;
  }

  function picture() {
    const final = S.cards.filter((c) => c.first);
    const open = S.cards.length - final.length;
    const room = seatedTables().length > MANY_TABLES ? PICTURE_CARDS_MANY_TABLES : PICTURE_CARDS;
    const shown = final.slice(-room);  // the latest: a projector cannot scroll; the report has them all
    const rows = shown.map((c) => {
      const res = c.second || c.first;
      const tag = res.agree === true ? `<span class="tag agree">${_("tables agree")}</span>` : res.agree === false ? `<span class="tag differ">${_("tables differ")}</span>` : "";
      return `<li><div class="pic-head"><strong lang="${esc(S.room.language)}">${esc(c.card.title)}</strong>${tag}</div>
        ${res.room ? bar(c.card, res.room, false) : `<p class="withheld">${_("not shown (fewer than %(n)s votes)", { n: S.room.min_group })}</p>`}</li>`;
    }).join("");
    return `<section class="diverge-block picture" data-testid="screen-picture" aria-labelledby="picture-title"><h2 id="picture-title">${_("The room so far")}</h2>
      ${rows ? `<ul class="picture-list${shown.length > 2 ? " two-columns" : ""}">${rows}</ul>` : `<p class="muted">${_("A card appears here once every table has voted on it.")}</p>`}
      ${final.length > shown.length ? `<p class="muted">${ngettext("%(num)s earlier card is in the report.", "%(num)s earlier cards are in the report.", final.length - shown.length)}</p>` : ""}
      ${open ? `<p class="muted">${ngettext("%(num)s more card is still being played at some tables.", "%(num)s more cards are still being played at some tables.", open)}</p>` : ""}</section>`;
  }

  function themes() {
    const all = S.room.themes || [];
    if (!all.length) return "";
    const done = new Set(S.themes_covered);
    return `<section class="diverge-block themes-block"><h2>${_("Themes so far")}</h2><ul class="theme-chips">${all.map((th) =>
      `<li class="${done.has(th) ? "done" : ""}">${done.has(th) ? "✓ " : ""}${esc(themeTitle(th))}</li>`).join("")}</ul></section>`;
  }

  function leaderboard() {
    if (!S.room.points || !S.started) return "";
    const ranked = S.tables.filter((t) => t.points != null).sort((a, b) => b.points - a.points);
    if (!ranked.length) return "";
    return `<section class="side-block leaderboard"><h2>${_("Points")}</h2><ol>${ranked.map((t) => `<li><span>${esc(t.name)}</span><strong>${t.points}</strong></li>`).join("")}</ol>
      <p class="muted">${_("Points for good predictions, helpful arguments and decisions with an action.")}</p></section>`;
  }

  function ending() {
    const h = S.headlines || { agreed: [], divided: [], decisions: 0, actions: 0 };
    const item = (r) => `<li><strong lang="${esc(S.room.language)}">${esc(r.title)}</strong><span>${summary(r.card, r)}</span></li>`;
    return `<section class="ending" data-testid="screen-end"><h1>${_("Finished")}</h1><p class="thanks">${_("Thank you for playing and for the conversation.")}</p>
      <p class="big-num">${ngettext("%(num)s decision", "%(num)s decisions", h.decisions)} · ${ngettext("%(num)s follow-up action", "%(num)s follow-up actions", h.actions)}</p>
      ${h.agreed.length ? `<div class="headlines"><section><h2>${_("Where the room agreed most")}</h2><ol>${h.agreed.map(item).join("")}</ol></section>
      ${h.divided.length ? `<section><h2>${_("Where opinions differed most")}</h2><ol>${h.divided.map(item).join("")}</ol></section>` : ""}</div>` : ""}
      ${S.themes_covered.length ? `<section class="end-themes"><h2>${_("Themes in this session")}</h2><ul class="theme-chips">${S.themes_covered.map((th) =>
        `<li class="done">✓ ${esc(themeTitle(th))}</li>`).join("")}</ul></section>` : ""}</section>`;
  }

  render();
})();
