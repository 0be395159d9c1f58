/* The facilitator's live dashboard: every team's phase and progress, who voted (never what). */
(function () {
  "use strict";
  const CFG = window.INZET;
  const PH = CFG.phases;
  const LABEL = { [PH.DRAW]: "Kaart trekken", [PH.VOTE]: "Stemmen", [PH.DISCUSS]: "Bespreken", [PH.DECIDE]: "Besluiten", [PH.FINISHED]: "Klaar" };
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const teams = new Map(CFG.overview.teams.map((t) => [t.team.id, t]));
  const grid = document.getElementById("teams");
  const socket = io({ transports: ["websocket", "polling"] });

  socket.on("connect", () => socket.emit("watch_room", { code: CFG.code }, (reply) => {
    if (reply && reply.ok) { reply.overview.teams.forEach((t) => teams.set(t.team.id, t)); render(); }
  }));
  socket.on("team_progress", (view) => { teams.set(view.team.id, view); render(); });
  socket.on("error", (err) => alert(err.message));

  function render() {
    grid.innerHTML = Array.from(teams.values()).map((t) => {
      const online = t.players.filter((p) => p.online).length;
      const turn = t.players.find((p) => p.id === t.turn_player_id);
      const move = t.phase === PH.DRAW && t.players.length ? ["draw_card", "Kaart trekken namens team"]
        : t.phase === PH.VOTE && t.votes_cast ? ["close_vote", "Stemming sluiten"]
        : t.phase === PH.DISCUSS ? ["start_decision", "Naar het besluit"] : null;
      return `<article class="panel team-card" data-team="${t.team.id}">
        <header><h2>${esc(t.team.name)}</h2><span class="phase-pill phase-${t.phase}">${LABEL[t.phase]}</span></header>
        <p class="muted">Kaart ${Math.min(t.round, t.cards_total)} van ${t.cards_total} · ${t.rounds_done} besloten · ${online}/${t.players.length} online</p>
        ${t.card && t.phase !== PH.FINISHED ? `<p><strong>${esc(t.card.title)}</strong></p>` : ""}
        ${t.phase === PH.VOTE ? `<p>${t.votes_cast} van ${t.players.length} gestemd</p>` : ""}
        ${turn ? `<p class="muted">Aan de beurt: ${esc(turn.name)}</p>` : ""}
        <ul class="mini-players">${t.players.map((p) => `<li class="${p.online ? "" : "away"}">${esc(p.name)} <span class="muted">${esc(p.role)}</span>${t.phase === PH.VOTE && p.voted ? " ✓" : ""}</li>`).join("")}</ul>
        ${move ? `<button class="button" data-move="${move[0]}" data-team="${t.team.id}" data-round="${t.round}">${move[1]}</button>` : ""}
      </article>`;
    }).join("");
    grid.querySelectorAll("[data-move]").forEach((b) => b.addEventListener("click", () => {
      b.disabled = true;
      socket.emit("team_move", { team_id: Number(b.dataset.team), move: b.dataset.move, round: Number(b.dataset.round) });
    }));
  }
  render();
})();
