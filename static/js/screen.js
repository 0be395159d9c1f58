/* The big screen: join code and QR while people join; then the card, the vote counter, the reveal
   (in plenary: where the tables diverge), the timer, and a team leaderboard. Read-only. */
(function () {
  "use strict";
  const CFG = JSON.parse(document.getElementById("inzet-config").textContent);
  const PH = CFG.phases;
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const _ = window.i18n.gettext, ngettext = window.i18n.ngettext;  // texts from the gettext catalogues (i18n.js)
  const LABEL = { [PH.DRAW]: _("Next card"), [PH.VOTE]: _("Voting"), [PH.DISCUSS]: _("Discussing"), [PH.REVOTE]: _("Second vote"),
    [PH.DECIDE]: _("Deciding"), [PH.FINISHED]: _("Done") };
  let room = CFG.overview.room;
  const teams = new Map(CFG.overview.teams.map((t) => [t.team.id, t]));
  let deadline = null;
  const socket = io({ auth: { screen: CFG.token, code: CFG.code }, transports: ["websocket", "polling"], query: { lang: window.i18n.language } });
  socket.on("overview", (o) => { room = o.room; o.teams.forEach((t) => teams.set(t.team.id, t)); render(); });
  socket.on("team_progress", (v) => {
    if (!window.teamViews.isNewer(teams.get(v.team.id), v)) return;
    teams.set(v.team.id, v); room = Object.assign({}, room, { settings: v.settings, message: v.message, paused: v.paused }); render(); });
  socket.on("voted", (d) => {  // a missed step is ignored here: the reveal brings the whole view
    const known = teams.get(d.team_id), next = window.teamViews.withVotes(known, d);
    if (next && next !== known) { teams.set(d.team_id, next); render(); }
  });

  setInterval(() => {
    const el = document.getElementById("screen-timer");
    if (deadline === null) { el.textContent = ""; return; }
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    el.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    el.classList.toggle("low", left <= 10);
  }, 500);

  function render() {
    const all = Array.from(teams.values());
    const players = all.reduce((n, t) => n + t.players.filter((p) => !p.observer).length, 0);
    const started = all.some((t) => t.rounds_done > 0 || t.phase !== PH.DRAW);
    document.getElementById("join-panel").hidden = started;
    document.getElementById("joined-count").textContent = _("%(players)s at %(tables)s", {
      players: ngettext("%(num)s player", "%(num)s players", players), tables: ngettext("%(num)s table", "%(num)s tables", all.length) });
    const timed = all.filter((t) => t.seconds_left != null && !t.paused);
    deadline = timed.length ? Date.now() + Math.min(...timed.map((t) => t.seconds_left)) * 1000 : null;
    const stage = document.getElementById("stage");
    const message = room.message ? `<p class="screen-message">${esc(room.message)}</p>` : "";
    const pause = room.paused ? `<p class="screen-message">${_("Break")}</p>` : "";
    stage.innerHTML = pause + message + (started ? (room.settings.pacing === "plenary" ? plenary(all) : tiles(all)) : lobby(all));
    leaderboard(all, started);
    // Bar widths via the CSSOM: the Content-Security-Policy forbids inline style attributes.
    document.querySelectorAll("[data-pct]").forEach((el) => { el.style.width = el.dataset.pct + "%"; });
  }

  function plenary(all) {
    const current = all.filter((t) => t.card).sort((a, b) => b.round - a.round)[0];
    if (!current) return `<p class="vote-meter">${_("The next card is coming…")}</p>${tiles(all)}`;
    const same = all.filter((t) => t.card && t.round === current.round);
    const voting = same.filter((t) => t.phase === PH.VOTE || t.phase === PH.REVOTE);
    let html = `<article class="card card-${current.card.kind}"><span class="kind">${current.card.kind === "dilemma" ? _("Dilemma") : _("Statement")} · ${_("card %(n)s of %(total)s", { n: current.round, total: current.cards_total })}</span>
      <h2 lang="${esc(room.language)}">${esc(current.card.title)}</h2><p class="card-text" lang="${esc(room.language)}">${esc(current.card.text)}</p></article>`;
    if (voting.length) {
      const cast = voting.reduce((n, t) => n + t.votes_cast, 0), needed = voting.reduce((n, t) => n + t.votes_needed, 0);
      html += `<p class="vote-meter">${_("%(cast)s of %(needed)s have voted", { cast: `<strong>${cast}</strong>`, needed: needed })}</p>`;
    }
    const revealed = same.filter((t) => t.distribution);
    if (revealed.length) html += diverge(current.card, revealed);
    return html;
  }

  function diverge(card, revealed) {
    // Where the tables diverge: one stacked bar per team, a segment per option (share of that team's
    // votes; the second vote where there was one). Counts only, never who.
    const mark = (c) => (card.kind === "dilemma" ? String.fromCharCode(64 + c.value) : String(c.value));
    const legend = card.choices.map((c) => `<li><span class="swatch seg-${c.value}" aria-hidden="true"></span><strong>${mark(c)}</strong> ${esc(c.label)}</li>`).join("");
    const rows = revealed.map((t) => {
      const dist = t.distribution2 || t.distribution;
      const total = dist.reduce((n, d) => n + d.count, 0);
      const shares = card.choices.map((c) => {
        const d = dist.find((x) => x.value === c.value);
        return { c: c, pct: total ? Math.round((100 * (d ? d.count : 0)) / total) : 0 };
      });
      const segments = shares.filter((x) => x.pct > 0).map((x) =>
        `<span class="seg seg-${x.c.value}" data-pct="${x.pct}" aria-hidden="true">${x.pct >= 9 ? `${mark(x.c)} ${x.pct}%` : ""}</span>`).join("");
      const spoken = shares.map((x) => `${mark(x.c)}: ${x.pct}%`).join(", ");
      return `<tr><th scope="row">${esc(t.team.name)}${t.distribution2 ? `<span class="ballot">${_("after the discussion")}</span>` : ""}</th>
        <td class="stack-cell"><span class="stack">${segments}</span><span class="sr-only">${spoken}</span></td>
        <td class="num">${ngettext("%(num)s vote", "%(num)s votes", total)}</td></tr>`;
    }).join("");
    return `<section class="diverge-block" aria-labelledby="diverge-title"><h2 id="diverge-title">${_("Where the tables differ")}</h2>
      <ul class="legend legend-${card.kind}">${legend}</ul>
      <table class="diverge diverge-${card.kind}"><caption class="sr-only">${_("Distribution of the votes per table")}</caption>
      <thead class="sr-only"><tr><th scope="col">${_("Table")}</th><th scope="col">${_("Distribution")}</th><th scope="col">${_("Votes")}</th></tr></thead>
      <tbody>${rows}</tbody></table></section>`;
  }

  function tiles(all) {
    return `<div class="tiles">${all.map((t) => `<div class="tile"><h3>${esc(t.team.name)}</h3>
      <span class="phase-pill phase-${t.phase}">${LABEL[t.phase]}</span>
      <p>${_("Card %(n)s of %(total)s", { n: Math.min(t.round, t.cards_total), total: t.cards_total })}${t.phase === PH.VOTE || t.phase === PH.REVOTE ? ` · ${_("%(cast)s of %(needed)s voted", { cast: t.votes_cast, needed: t.votes_needed })}` : ""}</p>
      ${t.card && t.phase !== PH.FINISHED ? `<p class="muted">${esc(t.card.title)}</p>` : ""}</div>`).join("")}</div>`;
  }

  function lobby(all) {
    // While people join: who sits at which table (names only; nothing about votes exists yet).
    return `<div class="tiles lobby">${all.map((t) => {
      const seated = t.players.filter((p) => !p.observer);
      return `<div class="tile"><h3>${esc(t.team.name)}</h3><p>${ngettext("%(num)s player", "%(num)s players", seated.length)}</p>
        <p class="muted names">${seated.map((p) => esc(p.name)).join(" · ")}</p></div>`;
    }).join("")}</div>`;
  }

  function leaderboard(all, started) {
    const el = document.getElementById("leaderboard");
    if (!room.settings.points || !started) { el.hidden = true; return; }
    el.hidden = false;
    const ranked = all.slice().sort((a, b) => (b.points || 0) - (a.points || 0));
    el.innerHTML = `<h2 id="lb-title">${_("Tables")}</h2><ol>${ranked.map((t) => `<li><span>${esc(t.team.name)}</span><strong>${t.points || 0}</strong></li>`).join("")}</ol>
      <p class="muted">${_("Points for good predictions, helpful arguments and decisions with an action.")}</p>`;
  }

  render();
})();
