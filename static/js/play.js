/* The player's tablet: join with a code, then render every screen from the server's snapshot.
   The seat token lives in localStorage, so reload, sleep or a server restart returns to the same seat. */
(function () {
  "use strict";
  const CFG = window.INZET;
  const PH = CFG.phases;
  const TOKEN_KEY = "inzetspel.seat." + CFG.code;
  const ACK_TIMEOUT_MS = 10000;
  const PHASE_LABEL = {
    [PH.DRAW]: "Kaart trekken", [PH.VOTE]: "Stem nu", [PH.DISCUSS]: "Bespreek",
    [PH.DECIDE]: "Besluit", [PH.FINISHED]: "Klaar",
  };
  const $ = (sel) => document.querySelector(sel);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  let team = null;      // the team's shared view (from `state` broadcasts)
  let seat = null;      // what only this player sees (own vote)
  let pending = 0;      // actions sent and not yet acknowledged
  let draft = { argument: "", stance: "" };
  let decision = {};    // the turn player's unsent decision form, kept across re-renders
  let draftRound = null;

  const socket = io({ auth: (cb) => cb(localStorage.getItem(TOKEN_KEY) ? { token: localStorage.getItem(TOKEN_KEY) } : {}),
                      transports: ["websocket", "polling"], reconnectionDelayMax: 4000 });

  /* ---------- connection state: always visible, always honest ---------- */
  function showConnection(kind, text) {
    const el = $("#conn");
    el.dataset.state = kind;
    el.querySelector(".label").textContent = text;
  }
  socket.on("connect", () => { showConnection("online", "Verbonden"); if (!localStorage.getItem(TOKEN_KEY)) showJoin(); });
  socket.on("disconnect", () => showConnection("reconnecting", navigator.onLine ? "Opnieuw verbinden…" : "Offline"));
  socket.io.on("reconnect_attempt", () => showConnection("reconnecting", navigator.onLine ? "Opnieuw verbinden…" : "Offline"));
  socket.on("connect_error", () => showConnection("offline", navigator.onLine ? "Geen verbinding met de server" : "Offline"));
  window.addEventListener("offline", () => showConnection("offline", "Offline"));

  socket.on("state", (data) => {
    if (data.seat) seat = data.seat;
    if (data.team) team = data.team;
    if (seat && team && seat.round !== team.round) seat = Object.assign({}, seat, { my_vote: null, my_argument_ids: [], round: team.round });
    if (team && draftRound !== team.round) { draftRound = team.round; draft = { argument: "", stance: "" }; decision = {}; }
    render();
  });
  socket.on("error", (err) => {
    if (err.code === "seat/unknown") { localStorage.removeItem(TOKEN_KEY); team = seat = null; showJoin(); return; }
    toast(err.message);
  });

  /* ---------- sending: acknowledged, or clearly reported as not sent ---------- */
  function send(event, payload, onOk) {
    pending += 1; render();
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return; settled = true; pending -= 1; render();
      toast("Niet verstuurd: er is geen verbinding. Probeer het opnieuw.");
    }, ACK_TIMEOUT_MS);
    socket.emit(event, payload, (reply) => {
      if (settled) return; settled = true; clearTimeout(timer); pending -= 1;
      if (reply && reply.ok) { if (reply.seat) seat = reply.seat; if (onOk) onOk(reply); }
      render();
    });
  }

  function toast(message) {
    const el = $("#toast");
    el.textContent = message; el.hidden = false;
    clearTimeout(toast.timer); toast.timer = setTimeout(() => { el.hidden = true; }, 5000);
  }

  /* ---------- joining ---------- */
  function showJoin() { $("#game").hidden = true; $("#join").hidden = false; }
  const form = $("#join-form");
  if (form) form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const errorEl = $("#join-error");
    const name = (data.get("name") || "").trim();
    if (!name) { errorEl.textContent = "Vul een naam in (een schuilnaam mag)."; errorEl.hidden = false; return; }
    if (!data.get("role")) { errorEl.textContent = "Kies je rol."; errorEl.hidden = false; return; }
    const payload = { code: CFG.code, name: name, role: data.get("role") };
    if (data.get("team")) payload.team = Number(data.get("team"));
    socket.emit("take_seat", payload, (reply) => {
      if (!reply || !reply.ok) { errorEl.textContent = reply ? reply.error.message : "Geen verbinding."; errorEl.hidden = false; return; }
      localStorage.setItem(TOKEN_KEY, reply.token);
      seat = reply.seat; team = reply.team; render();
    });
  });

  /* ---------- rendering ---------- */
  const me = () => team.players.find((p) => p.id === seat.player_id);
  const playerName = (id) => { const p = team.players.find((x) => x.id === id); return p ? p.name : "?"; };
  const myTurn = () => team.turn_player_id === seat.player_id;
  const choiceLabel = (v) => { const c = team.card && team.card.choices.find((x) => x.value === v); return c ? c.label : ""; };
  const stanceLabel = (s) => s === "for" ? "Voor" : s === "against" ? "Tegen" : s == null ? "Algemeen" : "Optie " + s;

  function render() {
    if (!team || !seat) return;
    $("#join").hidden = true;
    const root = $("#game");
    root.hidden = false;
    const focused = document.activeElement && document.activeElement.id;
    root.innerHTML = header() + (team.room_open ? "" : `<p class="banner">Deze sessie is afgelopen; alles is alleen nog te bekijken.</p>`) +
      players() + phaseBody() + decisionsSoFar();
    bind(root);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  function header() {
    const n = Math.min(team.round, team.cards_total);
    return `<div class="game-head">
      <div><span class="muted">${esc(team.room.title)}</span><h1>${esc(team.team.name)}</h1></div>
      <div class="progress"><span class="phase-pill phase-${team.phase}">${PHASE_LABEL[team.phase]}</span>
      <span class="muted">Kaart ${n} van ${team.cards_total}</span>${pending ? ` <span class="sending">versturen…</span>` : ""}</div>
    </div>`;
  }

  function players() {
    return `<ul class="players" aria-label="Spelers">` + team.players.map((p) => `<li class="${p.online ? "" : "away"}${p.id === team.turn_player_id ? " turn" : ""}">
      <span class="pname">${esc(p.name)}${p.id === seat.player_id ? " (jij)" : ""}</span><span class="prole">${esc(p.role)}</span>
      ${team.phase === PH.VOTE ? (p.voted ? `<span class="voted">✓ gestemd</span>` : `<span class="muted">denkt na</span>`) : ""}
      ${p.id === team.turn_player_id ? `<span class="turn-mark">aan de beurt</span>` : ""}${p.online ? "" : `<span class="muted">offline</span>`}
    </li>`).join("") + `</ul>`;
  }

  function cardHtml() {
    const c = team.card;
    return `<article class="card card-${c.kind}"><span class="kind">${c.kind === "dilemma" ? "Dilemma" : "Stelling"}</span>
      <h2>${esc(c.title)}</h2><p class="card-text">${esc(c.text)}</p></article>`;
  }

  function phaseBody() {
    const open = team.room_open;
    switch (team.phase) {
      case PH.DRAW:
        return `<section class="stage center">${myTurn() && open
          ? `<p class="lead">Jij bent aan de beurt.</p><button class="button primary big" data-act="draw">Trek de volgende kaart</button>`
          : `<p class="lead">Wachten tot <strong>${esc(playerName(team.turn_player_id))}</strong> de volgende kaart trekt.</p>`}</section>`;
      case PH.VOTE: {
        const mine = seat.my_vote;
        return `<section class="stage">${cardHtml()}
          <h3 id="vote-label">${mine ? "Je stem is binnen. Je kunt nog wisselen tot de onthulling." : "Jouw stem (niemand ziet wat je kiest)"}</h3>
          <div class="options" role="radiogroup" aria-labelledby="vote-label">${team.card.choices.map((c) =>
            `<button class="option${mine === c.value ? " selected" : ""}" role="radio" aria-checked="${mine === c.value}" data-vote="${c.value}" ${open ? "" : "disabled"}>
              <span class="num">${team.card.kind === "dilemma" ? String.fromCharCode(64 + c.value) : c.value}</span><span>${esc(c.label)}</span></button>`).join("")}</div>
          <p class="muted center">${team.votes_cast} van ${team.players.length} hebben gestemd.</p>
          ${myTurn() && open ? `<p class="center"><button class="button" data-act="close" ${team.votes_cast ? "" : "disabled"}>Stemming sluiten en onthullen</button></p>` : ""}
        </section>`;
      }
      case PH.DISCUSS:
      case PH.DECIDE:
        return `<section class="stage">${cardHtml()}${results()}
          <div class="two-col"><div>${prompts()}${argumentForm()}</div><div>${argumentsList()}</div></div>
          ${decisionArea()}</section>`;
      case PH.FINISHED:
        return `<section class="stage center"><h2>Jullie hebben alle kaarten gespeeld.</h2>
          <p class="lead">Dank je wel! De begeleider verzamelt de uitkomsten voor het rapport.</p></section>`;
    }
    return "";
  }

  function results() {
    const total = team.distribution.reduce((a, d) => a + d.count, 0) || 1;
    const rows = team.distribution.map((d) => {
      const pct = Math.round((100 * d.count) / total);
      return `<tr><th scope="row">${esc(choiceLabel(d.value))}</th><td class="bar-cell"><span class="bar" style="width:${pct}%"></span></td>
        <td class="num">${d.count}</td><td class="num">${pct}%</td></tr>`;
    }).join("");
    return `<h3>Zo stemde het team${seat.my_vote ? ` <span class="muted">(jij: ${esc(choiceLabel(seat.my_vote))})</span>` : ""}</h3>
      <table class="distribution"><caption class="sr-only">Verdeling van de stemmen</caption>
      <thead><tr><th scope="col">Keuze</th><th scope="col"><span class="sr-only">Balk</span></th><th scope="col">Stemmen</th><th scope="col">%</th></tr></thead><tbody>${rows}</tbody></table>`;
  }

  function prompts() {
    return `<h3>Bespreek samen</h3><ul class="prompts">${team.card.prompts.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`;
  }

  function stanceOptions() {
    const opts = team.card.kind === "dilemma"
      ? team.card.choices.map((c) => [String(c.value), "Voor: " + c.label])
      : [["for", "Voor de stelling"], ["against", "Tegen de stelling"]];
    return [["", "Algemeen"]].concat(opts).map(([v, l]) => `<option value="${esc(v)}" ${draft.stance === v ? "selected" : ""}>${esc(l)}</option>`).join("");
  }

  function argumentForm() {
    if (!team.room_open) return "";
    return `<form class="argument-form" data-form="argument">
      <label for="arg-text">Jouw argument</label>
      <textarea id="arg-text" maxlength="280" rows="2" placeholder="Kort en concreet">${esc(draft.argument)}</textarea>
      <div class="row"><label for="arg-stance" class="sr-only">Standpunt</label><select id="arg-stance">${stanceOptions()}</select>
      <button class="button">Plaatsen</button></div></form>`;
  }

  function argumentsList() {
    if (!team.arguments.length) return `<h3>Argumenten</h3><p class="muted">Nog geen argumenten.</p>`;
    return `<h3>Argumenten (${team.arguments.length})</h3><ul class="arguments">${team.arguments.map((a) => `<li>
      <span class="stance">${esc(a.stance != null && team.card.kind === "dilemma" ? "Voor: " + choiceLabel(a.stance) : stanceLabel(a.stance))}</span>
      ${esc(a.text)}${seat.my_argument_ids.includes(a.id) ? ` <span class="muted">(jij)</span>` : ""}</li>`).join("")}</ul>`;
  }

  function decisionArea() {
    if (!team.room_open) return "";
    if (team.phase === PH.DISCUSS) {
      return myTurn() ? `<p class="center"><button class="button primary big" data-act="to-decide">Naar het besluit</button></p>`
        : `<p class="muted center">${esc(playerName(team.turn_player_id))} rondt de bespreking af en legt het besluit vast.</p>`;
    }
    if (!myTurn()) return `<p class="lead center">${esc(playerName(team.turn_player_id))} legt het besluit van het team vast…</p>`;
    const roles = team.room.roles.map((r) => `<option value="${esc(r)}">`).join("");
    return `<form class="decision-form panel" data-form="decision">
      <fieldset><legend>Het standpunt van het team</legend><div class="choice-grid">
      ${team.card.choices.map((c) => `<label class="choice"><input type="radio" name="position" value="${c.value}" ${decision.position === String(c.value) ? "checked" : ""}> <span>${esc(c.label)}</span></label>`).join("")}
      <label class="choice"><input type="radio" name="position" value="none" ${decision.position === "none" ? "checked" : ""}> <span>Geen overeenstemming</span></label></div></fieldset>
      <div class="field"><label for="rationale">Waarom (één regel)</label><input id="rationale" maxlength="200" value="${esc(decision.rationale)}"></div>
      <details ${decision.what || decision.owner || decision.due ? "open" : ""}><summary>Vervolgactie toevoegen</summary>
        <div class="field"><label for="act-what">Wat gaan we doen?</label><input id="act-what" maxlength="200" value="${esc(decision.what)}"></div>
        <div class="row"><div class="field"><label for="act-owner">Wie (rol of initialen, geen namen)</label><input id="act-owner" list="role-list" maxlength="60" value="${esc(decision.owner)}"><datalist id="role-list">${roles}</datalist></div>
        <div class="field"><label for="act-due">Wanneer</label><input id="act-due" type="date" value="${esc(decision.due)}"></div></div>
      </details>
      <p class="error" id="decision-error" role="alert" hidden></p>
      <button class="button primary big">Besluit vastleggen</button></form>`;
  }

  function decisionsSoFar() {
    if (!team.decisions.length) return "";
    return `<details class="panel history" ${team.phase === PH.FINISHED ? "open" : ""}><summary>Besluiten van het team (${team.decisions.length})</summary><ol>${team.decisions.map((d) =>
      `<li><strong>${esc(d.card_title)}</strong>: ${d.position == null ? "geen overeenstemming" : esc(d.position_label)}${d.rationale ? ` — ${esc(d.rationale)}` : ""}
       ${d.action ? `<br><span class="muted">Actie: ${esc(d.action.what)} · ${esc(d.action.owner)} · ${esc(d.action.due)}</span>` : ""}</li>`).join("")}</ol></details>`;
  }

  /* ---------- input ---------- */
  function bind(root) {
    root.querySelectorAll("[data-vote]").forEach((b) => b.addEventListener("click", () => {
      const choice = Number(b.dataset.vote);
      seat = Object.assign({}, seat, { my_vote: choice }); render();  // optimistic; the ack confirms
      send("cast_vote", { round: team.round, choice: choice });
    }));
    const act = (name, event) => { const b = root.querySelector(`[data-act="${name}"]`); if (b) b.addEventListener("click", () => { b.disabled = true; send(event, { round: team.round }); }); };
    act("draw", "draw_card"); act("close", "close_vote"); act("to-decide", "start_decision");
    const arg = root.querySelector('[data-form="argument"]');
    if (arg) {
      const text = arg.querySelector("#arg-text"), stance = arg.querySelector("#arg-stance");
      text.addEventListener("input", () => { draft.argument = text.value; });
      stance.addEventListener("change", () => { draft.stance = stance.value; });
      arg.addEventListener("submit", (ev) => {
        ev.preventDefault();
        if (!text.value.trim()) { toast("Schrijf eerst een argument."); return; }
        const s = stance.value === "" ? null : (/^\d$/.test(stance.value) ? Number(stance.value) : stance.value);
        const id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9]/g, "").slice(0, 32);
        send("post_argument", { round: team.round, id: id, stance: s, text: text.value }, () => { draft = { argument: "", stance: "" }; });
      });
    }
    const dec = root.querySelector('[data-form="decision"]');
    if (dec) dec.addEventListener("input", () => {
      const chosen = dec.querySelector('input[name="position"]:checked');
      decision = { position: chosen ? chosen.value : undefined, rationale: dec.querySelector("#rationale").value,
        what: dec.querySelector("#act-what").value, owner: dec.querySelector("#act-owner").value, due: dec.querySelector("#act-due").value };
    });
    if (dec) dec.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const err = dec.querySelector("#decision-error");
      const chosen = dec.querySelector('input[name="position"]:checked');
      if (!chosen) { err.textContent = "Kies het standpunt van het team (of geen overeenstemming)."; err.hidden = false; return; }
      const what = dec.querySelector("#act-what").value.trim(), owner = dec.querySelector("#act-owner").value.trim(), due = dec.querySelector("#act-due").value;
      let action = null;
      if (what || owner || due) {
        if (!(what && owner && due)) { err.textContent = "Een actie heeft een omschrijving, een eigenaar en een datum."; err.hidden = false; return; }
        action = { what: what, owner: owner, due: due };
      }
      send("record_decision", { round: team.round, position: chosen.value === "none" ? null : Number(chosen.value),
        rationale: dec.querySelector("#rationale").value, action: action });
    });
  }
})();
