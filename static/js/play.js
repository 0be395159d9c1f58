/* The player's tablet: join with a code, then render every screen from the server's snapshot.
   The seat token lives in localStorage, so reload, sleep or a server restart returns to the same seat. */
(function () {
  "use strict";
  const CFG = JSON.parse(document.getElementById("inzet-config").textContent);
  const _ = window.i18n.gettext, ngettext = window.i18n.ngettext;  // texts from the gettext catalogues (i18n.js)
  const PH = CFG.phases;
  const KINDS = window.inzetKinds.create(CFG.kinds);  // what differs between card kinds (kinds.js)
  const TOKEN_KEY = "inzetspel.seat." + CFG.code;
  const PHASE_LABEL = {
    [PH.DRAW]: _("Draw a card"), [PH.VOTE]: _("Vote now"), [PH.DISCUSS]: _("Discuss"), [PH.REVOTE]: _("Vote again"),
    [PH.DECIDE]: _("Decide"), [PH.FINISHED]: _("Done"),
  };
  const BADGE_LABEL = { mensenkenner: _("People reader"), bruggenbouwer: _("Bridge builder"), dwarsdenker: _("Lateral thinker") };
  const BADGE_TEXT = { mensenkenner: _("you most often predicted correctly what your team would choose"),
    bruggenbouwer: _("your arguments helped precisely those who voted differently"), dwarsdenker: _("you voted with a minority and gave your reasons") };
  const K = window.inzetKit, $ = K.$, esc = K.esc;  // shared helpers (play_kit.js)
  const DRAFTS = K.drafts(CFG.code);
  const INLINE_ERRORS = new Set(["seat/name_taken", "decide/invalid_owner"]);

  let team = null;      // the team's shared view (from `state` broadcasts)
  let seat = null;      // what only this player sees (own vote)
  let draft = { argument: "", stance: "" };
  let decision = {};    // the turn player's unsent decision form, kept across re-renders and reloads
  let draftRound = null;
  let focusNext = null; // the control to focus after the next render when the focused one goes away

  const socket = io({ auth: (cb) => cb(localStorage.getItem(TOKEN_KEY) ? { token: localStorage.getItem(TOKEN_KEY) } : {}),
                      transports: ["websocket", "polling"], reconnectionDelayMax: 4000,
                      query: { lang: window.i18n.language } });  // the server answers in the page's language
  window.inzetSocket = socket;  // shared with own_dilemma.js: one connection per tablet

  /* ---------- connection state: always visible, always honest ---------- */
  // online: connected to the server; reconnecting: trying again; offline: the device has no network
  // or the server cannot be reached.
  function showConnection(kind, text) {
    const el = $("#conn");
    el.dataset.state = kind;
    el.querySelector(".label").textContent = text;
    renderOutbox();
  }
  const lostConnection = () => navigator.onLine
    ? showConnection("reconnecting", _("Reconnecting…")) : showConnection("offline", _("Offline: no network"));
  socket.on("connect", () => { showConnection("online", _("Connected")); if (!localStorage.getItem(TOKEN_KEY)) showJoin(); });
  socket.on("disconnect", lostConnection);
  socket.io.on("reconnect_attempt", lostConnection);
  socket.on("connect_error", () => showConnection("offline", navigator.onLine ? _("No connection to the server") : _("Offline: no network")));
  window.addEventListener("offline", () => showConnection("offline", _("Offline: no network")));
  window.addEventListener("online", () => { if (!socket.connected) showConnection("reconnecting", _("Reconnecting…")); });

  socket.on("state", onState);
  function onState(data) {
    const before = team ? team.phase + "/" + team.round : null;
    if (data.seat) seat = data.seat;
    if (data.team && window.teamViews.isNewer(team, data.team)) team = data.team;
    if (!data.seat && seat && team && team.phase === PH.REVOTE && before !== team.phase + "/" + team.round) {
      seat = Object.assign({}, seat, { my_vote: null });  // the second ballot starts empty
    }
    // Broadcasts carry the team's shared view only; what is personal (points, badges, the
    // "can you live with it?" question) is fetched again whenever the phase or the card changes.
    if (!data.seat && seat && team && before !== team.phase + "/" + team.round) {
      socket.emit("get_state", {}, (reply) => { if (reply && reply.ok) { seat = reply.seat; render(); } });
    }
    if (seat && team && seat.round !== team.round) seat = Object.assign({}, seat, { my_vote: null, my_argument_ids: [], round: team.round });
    if (team && draftRound !== team.round) {  // a new card: the drafts kept on the tablet for it, if any
      draftRound = team.round;
      const kept = DRAFTS.load(team.round) || {};
      draft = { argument: kept.argument || "", stance: kept.stance || "" }; decision = kept.decision || {};
    }
    if (team) deadline = team.seconds_left == null || team.paused ? null : Date.now() + team.seconds_left * 1000;
    render();
    if (data.seat) flushOutbox();  // a fresh snapshot after (re)connecting: now send what waited
  }
  // A vote that did not complete the ballot: only who has voted changed (never what).
  socket.on("voted", (d) => {
    const next = window.teamViews.withVotes(team, d);
    if (next === null) {  // we missed a step: fetch the whole state
      socket.emit("get_state", {}, (reply) => { if (reply && reply.ok) onState(reply); });
    } else if (next !== team) { team = next; render(); }
  });
  socket.on("seat_moved", (data) => {
    // The same player continued on another device: this tablet's token no longer works.
    if (!seat || data.player_id !== seat.player_id) return;
    localStorage.removeItem(TOKEN_KEY); team = seat = null; showJoin();
    socket.disconnect(); socket.connect();  // connect again without the token: this connection no longer holds the seat
    const info = $("#join-error");
    info.textContent = _("You continue on another device; this tablet no longer has a seat. Join again to play here.");
    info.hidden = false;
  });
  socket.on("seat_changed", (data) => {
    // Moved to another team or removed by the facilitator: reconnect so the server seats us anew.
    if (seat && data.player_id === seat.player_id) { socket.disconnect(); socket.connect(); }
  });
  let deadline = null;  // local clock time at which the phase timer ends
  setInterval(() => {
    const el = document.getElementById("timer");
    if (!el || deadline === null) return;
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    el.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    el.classList.toggle("low", left <= 10);
  }, 500);
  socket.on("error", (err) => {
    if (err.code === "seat/unknown") {
      // The seat is gone (removed by the facilitator, the session deleted): say so above the join form.
      localStorage.removeItem(TOKEN_KEY); team = seat = null; showJoin();
      const info = $("#join-error");
      info.textContent = err.message; info.hidden = false;
      return;
    }
    if (INLINE_ERRORS.has(err.code)) return;  // said where the player looks, and kept there (not a toast)
    toast(err.message);
  });

  /* ---------- sending: acknowledged, queued until the connection is back (play_outbox.js) ---------- */
  const wire = window.inzetOutbox.create({
    socket: socket, code: CFG.code, phases: PH, team: () => team, seat: () => seat, putSeat: (s) => { seat = s; },
    render: () => render(), toast: (message) => toast(message),
  });
  const send = wire.send, sendVote = wire.sendVote, queuedVote = wire.queuedVote, flushOutbox = wire.flush;
  const renderOutbox = wire.renderOutbox, lostNotice = wire.lostNotice;

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
    if (!name) { errorEl.textContent = _("Enter a name (a nickname is fine)."); errorEl.hidden = false; return; }
    if (!data.get("role")) { errorEl.textContent = _("Choose your role."); errorEl.hidden = false; return; }
    const payload = { code: CFG.code, name: name, role: data.get("role") };
    if (data.get("team")) payload.team = Number(data.get("team"));
    if (data.get("observer")) payload.observer = true;
    takeSeat("take_seat", payload);
  });
  const seated = (reply) => { localStorage.setItem(TOKEN_KEY, reply.token); seat = reply.seat; team = reply.team; $("#name-taken").hidden = true; render(); };
  function takeSeat(event, payload) {
    const errorEl = $("#join-error"), taken = $("#name-taken");
    socket.emit(event, payload, (reply) => {
      if (reply && reply.ok) { errorEl.hidden = true; seated(reply); return; }
      if (reply && reply.error.code === "seat/name_taken") {
        // The same name on a second tablet: most likely the same person. Offer the seat, or a new one.
        errorEl.hidden = true;
        taken.innerHTML = `<p class="lead">${esc(reply.error.message)}</p><p class="row-center">
          <button type="button" class="button primary big" id="claim-seat">${_("Continue on this device")}</button>
          <button type="button" class="button big" id="as-new">${_("I am someone else")}</button></p>`;
        taken.hidden = false;
        taken.querySelector("#claim-seat").addEventListener("click", () => takeSeat("claim_seat", { code: payload.code, name: payload.name }));
        taken.querySelector("#as-new").addEventListener("click", () => takeSeat("take_seat", Object.assign({}, payload, { as_new: true })));
        taken.querySelector("#claim-seat").focus();
        return;
      }
      errorEl.textContent = reply ? reply.error.message : _("No connection."); errorEl.hidden = false;
    });
  }

  /* ---------- the phase renderers in their own modules (play_ballot.js, play_decide.js) ---------- */
  const saveDrafts = () => { if (team) DRAFTS.save(team.round, { argument: draft.argument, stance: draft.stance, decision: decision }); };
  const ctx = {
    phases: PH, kinds: KINDS, team: () => team, seat: () => seat, myTurn: () => myTurn(), playerName: (id) => playerName(id),
    queuedVote: () => queuedVote(), sendVote: (payload) => sendVote(payload), send: (...args) => send(...args), render: () => render(),
    setSeat: (changes) => { seat = Object.assign({}, seat, changes); render(); },
    focusAfter: (id) => { focusNext = id; },
    decision: () => decision, setDecision: (d) => { decision = d; saveDrafts(); },
    draft: () => draft, setDraft: (d) => { draft = d; saveDrafts(); }, toast: (message) => toast(message),
  };
  const ballot = window.inzetBallot.create(ctx);
  const decide = window.inzetDecide.create(ctx);
  const discuss = window.inzetDiscuss.create(ctx);

  // A team waits for its quorum before the first card (the facilitator can start it by hand).
  const seatedPlayers = () => team.players.filter((p) => !p.observer).length;
  const waitingForQuorum = () => team.rounds_done === 0 && seatedPlayers() < (team.settings.team_quorum || 1);
  function quorumWait() {
    return `<p class="lead" data-testid="quorum-wait">${_("Waiting for your team: %(n)s of %(quorum)s players are here.", { n: seatedPlayers(), quorum: team.settings.team_quorum })}</p>
      <p class="muted">${_("The first card is drawn once %(quorum)s players have joined, or when the facilitator starts the table. Everyone who joins before then votes on the first card.", { quorum: team.settings.team_quorum })}</p>`;
  }

  /* ---------- rendering ---------- */
  const me = () => team.players.find((p) => p.id === seat.player_id);
  const playerName = (id) => { const p = team.players.find((x) => x.id === id); return p ? p.name : "?"; };
  const myTurn = () => team.turn_player_id === seat.player_id;

  function render() {
    renderOutbox();
    if (!team || !seat) return;
    $("#join").hidden = true;
    const root = $("#game");
    root.hidden = false;
    const focused = document.activeElement && document.activeElement.id;
    root.innerHTML = header() + (team.room_open ? "" : `<p class="banner">${_("This session has ended; everything can only be viewed now.")}</p>`) +
      (team.paused && team.room_open ? `<p class="banner" role="status">${_("Break: the facilitator has paused the game for a moment.")}</p>` : "") +
      (team.message ? `<p class="message" role="status"><strong>${_("Message from the facilitator:")}</strong> ${esc(team.message)}</p>` : "") +
      lostNotice() + players() + phaseBody() + decide.history();
    bind(root);
    // Bar widths via the CSSOM: the Content-Security-Policy forbids inline style attributes.
    document.querySelectorAll("[data-pct]").forEach((el) => { el.style.width = el.dataset.pct + "%"; });
    // Keyboard focus stays on the control that was used (the elements were replaced), without scrolling.
    const target = document.getElementById(focusNext || "") || (focused && document.getElementById(focused));
    focusNext = null;
    if (target && target !== document.activeElement) target.focus({ preventScroll: true });
  }

  function header() {
    const n = Math.min(team.round, team.cards_total);
    return `<div class="game-head">
      <div><span class="muted">${esc(team.room.title)}</span><h1>${esc(team.team.name)}</h1></div>
      <div class="progress"><span class="phase-pill phase-${team.phase}">${PHASE_LABEL[team.phase]}</span>
      <span class="muted">${_("Card %(n)s of %(total)s", { n: n, total: team.cards_total })}</span>
      <span class="team-progress" data-testid="team-progress"><progress max="${team.cards_total}" value="${team.rounds_done}" aria-label="${_("The team's progress")}"></progress>${_("Team: %(done)s of %(total)s done", { done: team.rounds_done, total: team.cards_total })}</span>
      ${team.seconds_left != null && !team.paused ? `<span class="timer" id="timer" role="timer" aria-label="${_("Time left")}">…</span>` : ""}
      ${seat.my_points != null ? `<span class="points" title="${_("Your points")}">${seat.my_points} pt</span>` : ""}
      ${wire.pending() ? ` <span class="sending">${_("sending…")}</span>` : ""}</div>
    </div>`;
  }

  function players() {
    const voting = team.phase === PH.VOTE || team.phase === PH.REVOTE;
    return `<ul class="players" aria-label="${_("Players")}">` + team.players.map((p) => `<li class="${p.online ? "" : "away"}${p.id === team.turn_player_id ? " turn" : ""}">
      <span class="pname">${esc(p.name)}${p.id === seat.player_id ? " " + _("(you)") : ""}</span><span class="prole">${esc(p.observer ? p.role + " · " + _("watching") : p.role)}</span>
      ${voting && p.votes_this_card ? (p.voted ? `<span class="voted">✓ ${_("voted")}</span>` : `<span class="muted">${_("thinking")}</span>`) : ""}
      ${p.id === team.turn_player_id ? `<span class="turn-mark">${_("their turn")}</span>` : ""}${p.online ? "" : `<span class="muted">${_("offline")}</span>`}
    </li>`).join("") + `</ul>`;
  }

  function cardHtml() {
    const c = team.card;
    return `<article class="card card-${c.kind}"><span class="kind">${esc(KINDS.label(c))}</span>
      <h2 lang="${esc(team.room.language)}">${esc(c.title)}</h2><p class="card-text" lang="${esc(team.room.language)}">${esc(c.text)}</p></article>`;
  }

  function phaseBody() {
    const open = team.room_open;
    const plenary = team.settings.pacing === "plenary";
    switch (team.phase) {
      case PH.DRAW:
        if (open && waitingForQuorum()) return `<section class="stage center">${quorumWait()}</section>`;
        return `<section class="stage center">${comfortQuestion()}${myTurn() && open && !plenary
          ? `<p class="lead">${team.turn_stand_in_for ? _("%(name)s is offline: you take the turn.", { name: `<strong>${esc(playerName(team.turn_stand_in_for))}</strong>` }) : _("It is your turn.")}</p><button class="button primary big" data-act="draw" ${team.paused ? "disabled" : ""}>${_("Draw the next card")}</button>`
          : plenary ? `<p class="lead">${_("The facilitator will draw the next card for all tables shortly.")}</p>`
          : `<p class="lead">${_("Waiting for %(name)s to draw the next card.", { name: `<strong>${esc(playerName(team.turn_player_id))}</strong>` })}</p>`}</section>`;
      case PH.VOTE:
      case PH.REVOTE:
        return `<section class="stage vote-stage">${cardHtml()}<div class="ballot">${ballot.render()}</div></section>`;
      case PH.DISCUSS:
      case PH.DECIDE:
        return `<section class="stage">${cardHtml()}${discuss.results()}
          <div class="two-col"><div>${discuss.prompts()}${discuss.argumentForm()}</div><div>${discuss.argumentsList()}</div></div>
          ${decide.render()}</section>`;
      case PH.FINISHED:
        return `<section class="stage center">${comfortQuestion()}<h2>${_("You have played all the cards.")}</h2>
          <p class="lead">${_("Thank you! The facilitator collects the outcomes for the report.")}</p>${myResult()}</section>`;
    }
    return "";
  }

  function comfortQuestion() {
    if (!seat.comfort_due || !team.room_open) return "";
    const d = team.decisions.find((x) => x.round === seat.comfort_due);
    return `<div class="comfort panel"><h3 id="comfort-label">${d ? _("Can you live with the decision on ‘%(card)s’?", { card: esc(d.card_title) }) : _("Can you live with the decision?")}</h3>
      <p class="muted">${_("Only you see your answer; the facilitator sees how many people struggle with it, not who.")}</p>
      <div class="predict-options" role="group" aria-labelledby="comfort-label">${[1, 2, 3, 4, 5].map((v) =>
        `<button class="chip" data-comfort="${v}">${v}</button>`).join("")}</div>
      <p class="muted scale-ends"><span>${_("1 = hardly")}</span><span>${_("5 = completely")}</span></p></div>`;
  }

  function myResult() {
    if (seat.my_points == null) return "";
    const badges = seat.my_badges.map((b) => `<li><strong>${esc(BADGE_LABEL[b] || b)}</strong> — ${esc(BADGE_TEXT[b] || "")}</li>`).join("");
    return `<div class="panel result"><p class="lead">${_("You: %(mine)s · your team: %(team)s", { mine: `<strong>${ngettext("%(num)s point", "%(num)s points", seat.my_points)}</strong>`, team: ngettext("%(num)s point", "%(num)s points", team.points) })}</p>
      ${badges ? `<h3>${_("Your badges")}</h3><ul class="badges">${badges}</ul>` : ""}
      <p class="muted">${_("You get points for good predictions, arguments that help others and decisions with an action — never for voting with the majority.")}</p></div>`;
  }

  /* ---------- input ---------- */
  function bind(root) {
    root.querySelectorAll("[data-comfort]").forEach((b) => b.addEventListener("click", () => {
      send("rate_comfort", { round: seat.comfort_due, score: Number(b.dataset.comfort) });
    }));
    const act = (name, event) => { const b = root.querySelector(`[data-act="${name}"]`); if (b) b.addEventListener("click", () => { b.disabled = true; send(event, { round: team.round }); }); };
    act("draw", "draw_card"); act("to-decide", "start_decision"); act("revote", "start_revote");
    ballot.bind(root);
    discuss.bind(root);
    decide.bind(root);
    const dismiss = root.querySelector("[data-dismiss-lost]");
    if (dismiss) dismiss.addEventListener("click", () => { wire.dismissLost(); render(); });
  }
})();
