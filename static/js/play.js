/* The player's tablet: join with a code, then render every screen from the server's snapshot.
   The seat token lives in localStorage, so reload, sleep or a server restart returns to the same seat. */
(function () {
  "use strict";
  const CFG = JSON.parse(document.getElementById("inzet-config").textContent);
  const _ = window.i18n.gettext, ngettext = window.i18n.ngettext;  // texts from the gettext catalogues (i18n.js)
  const PH = CFG.phases;
  const TOKEN_KEY = "inzetspel.seat." + CFG.code;
  const OUTBOX_KEY = "inzetspel.outbox." + CFG.code;  // votes waiting for the connection survive a reload
  const ACK_TIMEOUT_MS = 10000;
  const PHASE_LABEL = {
    [PH.DRAW]: _("Draw a card"), [PH.VOTE]: _("Vote now"), [PH.DISCUSS]: _("Discuss"), [PH.REVOTE]: _("Vote again"),
    [PH.DECIDE]: _("Decide"), [PH.FINISHED]: _("Done"),
  };
  const BADGE_LABEL = { mensenkenner: _("People reader"), bruggenbouwer: _("Bridge builder"), dwarsdenker: _("Lateral thinker") };
  const BADGE_TEXT = { mensenkenner: _("you most often predicted correctly what your team would choose"),
    bruggenbouwer: _("your arguments helped precisely those who voted differently"), dwarsdenker: _("you voted with a minority and gave your reasons") };
  const SIDES = [{ value: -1, label: _("Disagree") }, { value: 0, label: _("Neutral") }, { value: 1, label: _("Agree") }];
  const $ = (sel) => document.querySelector(sel);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  let team = null;      // the team's shared view (from `state` broadcasts)
  let seat = null;      // what only this player sees (own vote)
  let pending = 0;      // actions sent and not yet acknowledged
  let draft = { argument: "", stance: "" };
  let decision = {};    // the turn player's unsent decision form, kept across re-renders
  let draftRound = null;
  // Votes tapped while the tablet has no connection: kept here (the latest per card and ballot) and
  // sent as soon as the connection is back, so a vote is never silently lost on flaky Wi-Fi.
  let outbox = loadOutbox();

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
    if (team && draftRound !== team.round) { draftRound = team.round; draft = { argument: "", stance: "" }; decision = {}; }
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
    if (err.code === "seat/unknown") { localStorage.removeItem(TOKEN_KEY); team = seat = null; showJoin(); return; }
    toast(err.message);
  });

  /* ---------- sending: acknowledged, queued until the connection is back, or reported as not sent ---------- */
  // Never emit while disconnected: Socket.IO would buffer the packet and send it later, after we
  // had told the player it was not sent.
  function send(event, payload, onOk, onRefused, onTimeout) {
    if (!socket.connected) { toast(_("Not sent: there is no connection. Try again when the connection is back.")); render(); return; }
    pending += 1; render();
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return; settled = true; pending -= 1;
      if (onTimeout) { onTimeout(); return; }
      render();
      toast(_("Not sent: there is no connection. Please try again."));
    }, ACK_TIMEOUT_MS);
    socket.emit(event, payload, (reply) => {
      if (settled) return; settled = true; clearTimeout(timer); pending -= 1;
      if (reply && reply.ok) { if (reply.seat) seat = reply.seat; if (reply.vote) keepOwnVote(reply.vote); if (onOk) onOk(reply); }
      else if (onRefused) onRefused(reply ? reply.error : null);
      render();
    });
  }

  // The ack of a vote that did not complete the ballot carries just that vote (the whole seat
  // comes with the reveal): the seat shows what the server stored.
  function keepOwnVote(v) {
    if (!seat || !team || seat.round !== v.round) return;
    const mine = v.ballot === 2 ? { my_second_vote: v.choice } : { my_first_vote: v.choice };
    if ((v.ballot === 2) === (team.phase === PH.REVOTE)) mine.my_vote = v.choice;
    if (v.prediction != null) mine.my_prediction = v.prediction;
    seat = Object.assign({}, seat, mine);
  }

  // No answer in time: the connection died unnoticed. Keep the vote and send it again after
  // reconnecting (casting the same vote twice is harmless; the server keeps the latest).
  function sendVote(payload) {
    const ballot = team.phase;
    if (socket.connected) send("cast_vote", payload, null, null, () => queueVote(payload, ballot));
    else queueVote(payload, ballot);
  }

  function queueVote(payload, ballot) {
    outbox = outbox.filter((v) => !(v.round === payload.round && v.ballot === ballot)).concat([Object.assign({ ballot: ballot }, payload)]);
    saveOutbox();
    render();
  }

  /* The vote that waits for this card and ballot, if any: the ballot shows it as chosen. */
  const queuedVote = () => team && outbox.find((v) => v.round === team.round && v.ballot === team.phase);

  function flushOutbox() {
    if (!socket.connected || !outbox.length) return;
    const waiting = outbox; outbox = []; saveOutbox();
    waiting.forEach((v) => {
      const payload = { round: v.round, choice: v.choice };
      if (v.prediction != null) payload.prediction = v.prediction;
      // The card or the ballot moved on while the tablet was away: a first vote must never land in
      // the second ballot (or on another card). Say it was not counted instead of sending it.
      if (!team || v.round !== team.round || v.ballot !== team.phase) { toast(_("Your vote was not counted.")); return; }
      // The server already has it (the ack was lost on the way back): nothing to resend.
      if (seat && team && v.round === team.round && v.ballot === team.phase && seat.my_vote === v.choice
          && (v.prediction == null || seat.my_prediction === v.prediction)) { toast(_("Your vote is in.")); return; }
      send("cast_vote", payload, () => toast(_("Your vote has been sent after all and counts.")),
        (err) => toast(err ? _("Your vote was not counted: %(reason)s", { reason: err.message }) : _("Your vote was not counted.")), () => queueVote(payload, v.ballot));
    });
    render();
  }

  function loadOutbox() {
    try { return JSON.parse(localStorage.getItem(OUTBOX_KEY)) || []; } catch (e) { return []; }
  }

  function saveOutbox() {
    try {
      if (outbox.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(outbox)); else localStorage.removeItem(OUTBOX_KEY);
    } catch (e) { /* storage full or disabled: the outbox still lives in memory */ }
  }

  function renderOutbox() {
    const el = $("#outbox");
    if (!el) return;
    el.hidden = !outbox.length;
    el.textContent = outbox.length ? _("No connection: your vote is kept and will be sent as soon as the connection is back.") : "";
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
    if (!name) { errorEl.textContent = _("Enter a name (a nickname is fine)."); errorEl.hidden = false; return; }
    if (!data.get("role")) { errorEl.textContent = _("Choose your role."); errorEl.hidden = false; return; }
    const payload = { code: CFG.code, name: name, role: data.get("role") };
    if (data.get("team")) payload.team = Number(data.get("team"));
    if (data.get("observer")) payload.observer = true;
    socket.emit("take_seat", payload, (reply) => {
      if (!reply || !reply.ok) { errorEl.textContent = reply ? reply.error.message : _("No connection."); errorEl.hidden = false; return; }
      localStorage.setItem(TOKEN_KEY, reply.token);
      seat = reply.seat; team = reply.team; render();
    });
  });

  /* ---------- rendering ---------- */
  const me = () => team.players.find((p) => p.id === seat.player_id);
  const playerName = (id) => { const p = team.players.find((x) => x.id === id); return p ? p.name : "?"; };
  const myTurn = () => team.turn_player_id === seat.player_id;
  const choiceLabel = (v) => { const c = team.card && team.card.choices.find((x) => x.value === v); return c ? c.label : ""; };
  const stanceLabel = (s) => s === "for" ? _("For") : s === "against" ? _("Against") : s == null ? _("General") : _("Option %(option)s", { option: s });

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
      players() + phaseBody() + decisionsSoFar();
    bind(root);
    // Bar widths via the CSSOM: the Content-Security-Policy forbids inline style attributes.
    document.querySelectorAll("[data-pct]").forEach((el) => { el.style.width = el.dataset.pct + "%"; });
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
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
      ${pending ? ` <span class="sending">${_("sending…")}</span>` : ""}</div>
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
    return `<article class="card card-${c.kind}"><span class="kind">${c.kind === "dilemma" ? _("Dilemma") : _("Statement")}</span>
      <h2 lang="${esc(team.room.language)}">${esc(c.title)}</h2><p class="card-text" lang="${esc(team.room.language)}">${esc(c.text)}</p></article>`;
  }

  function phaseBody() {
    const open = team.room_open;
    const plenary = team.settings.pacing === "plenary";
    switch (team.phase) {
      case PH.DRAW:
        return `<section class="stage center">${comfortQuestion()}${myTurn() && open && !plenary
          ? `<p class="lead">${_("It is your turn.")}</p><button class="button primary big" data-act="draw" ${team.paused ? "disabled" : ""}>${_("Draw the next card")}</button>`
          : plenary ? `<p class="lead">${_("The facilitator will draw the next card for all tables shortly.")}</p>`
          : `<p class="lead">${_("Waiting for %(name)s to draw the next card.", { name: `<strong>${esc(playerName(team.turn_player_id))}</strong>` })}</p>`}</section>`;
      case PH.VOTE:
      case PH.REVOTE:
        return `<section class="stage vote-stage">${cardHtml()}<div class="ballot">${ballot()}</div></section>`;
      case PH.DISCUSS:
      case PH.DECIDE:
        return `<section class="stage">${cardHtml()}${results()}
          <div class="two-col"><div>${prompts()}${argumentForm()}</div><div>${argumentsList()}</div></div>
          ${decisionArea()}</section>`;
      case PH.FINISHED:
        return `<section class="stage center">${comfortQuestion()}<h2>${_("You have played all the cards.")}</h2>
          <p class="lead">${_("Thank you! The facilitator collects the outcomes for the report.")}</p>${myResult()}</section>`;
    }
    return "";
  }

  function ballot() {
    const open = team.room_open && !team.paused;
    const second = team.phase === PH.REVOTE;
    if (seat.observer) return `<p class="lead center">${_("You are watching; the players are voting now.")}</p>${voteCount()}`;
    const meInTeam = team.players.find((p) => p.id === seat.player_id);
    if (!meInTeam || !meInTeam.votes_this_card) return `<p class="lead center">${_("You joined during this card: you vote from the next card on.")}</p>${voteCount()}`;
    const queued = queuedVote();
    const mine = queued ? queued.choice : seat.my_vote;
    const myPrediction = queued && queued.prediction != null ? queued.prediction : seat.my_prediction;
    // A vote waiting for the connection is not "in": say so where the player looks.
    const heading = queued ? _("No connection: your vote is kept and will be sent as soon as the connection is back.")
      : second ? (mine ? _("Your second vote is in.") : _("Vote again, after the discussion (your first vote does not count here)"))
      : (mine ? _("Your vote is in. You can still change it until the reveal.") : _("Your vote (nobody sees what you choose)"));
    let html = `<h3 id="vote-label">${heading}</h3>
      <div class="options" role="radiogroup" aria-labelledby="vote-label" lang="${esc(team.room.language)}">${team.card.choices.map((c) =>
        `<button class="option${mine === c.value ? " selected" : ""}" role="radio" aria-checked="${mine === c.value}" data-vote="${c.value}" ${open ? "" : "disabled"}>
          <span class="num">${team.card.kind === "dilemma" ? String.fromCharCode(64 + c.value) : c.value}</span><span>${esc(c.label)}</span></button>`).join("")}</div>`;
    if (!second && team.settings.predictions) {
      const opts = team.card.kind === "dilemma"
        ? team.card.choices.map((c) => ({ value: c.value, label: String.fromCharCode(64 + c.value) }))
        : SIDES;
      html += `<div class="predict"><h3 id="predict-label">${_("And what do you think the majority of your team will choose?")}</h3>
        <div class="predict-options" role="radiogroup" aria-labelledby="predict-label">${opts.map((o) =>
          `<button class="chip${myPrediction === o.value ? " selected" : ""}" role="radio" aria-checked="${myPrediction === o.value}"
            data-predict="${o.value}" ${open && mine ? "" : "disabled"}>${esc(o.label)}</button>`).join("")}</div>
        ${mine ? "" : `<p class="muted">${_("Vote yourself first; then you predict.")}</p>`}</div>`;
    }
    return html + voteCount();
  }

  function voteCount() {
    const plenary = team.settings.pacing === "plenary";
    return `<p class="muted center">${_("%(cast)s of %(needed)s have voted.", { cast: team.votes_cast, needed: team.votes_needed })}</p>
      ${myTurn() && team.room_open && !plenary && !team.paused ? `<p class="center"><button class="button" data-act="close" ${team.votes_cast ? "" : "disabled"}>${_("Close the vote and reveal")}</button></p>` : ""}`;
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

  function distributionTable(dist, caption) {
    const total = dist.reduce((a, d) => a + d.count, 0) || 1;
    const rows = dist.map((d) => {
      const pct = Math.round((100 * d.count) / total);
      return `<tr><th scope="row">${esc(choiceLabel(d.value))}</th><td class="bar-cell"><span class="bar" data-pct="${pct}"></span></td>
        <td class="num">${d.count}</td><td class="num pct">${pct}%</td></tr>`;
    }).join("");
    return `<table class="distribution"><caption class="sr-only">${esc(caption)}</caption>
      <thead><tr><th scope="col">${_("Choice")}</th><th scope="col"><span class="sr-only">${_("Bar")}</span></th><th scope="col">${_("Votes")}</th><th scope="col">%</th></tr></thead><tbody>${rows}</tbody></table>`;
  }

  function results() {
    let html = `<h3 class="results-first">${team.distribution2 ? _("First vote") : _("How the team voted")}${seat.my_first_vote ? ` <span class="muted">${_("(you: %(choice)s)", { choice: esc(choiceLabel(seat.my_first_vote)) })}</span>` : ""}</h3>
      ${distributionTable(team.distribution, _("Distribution of the first vote"))}`;
    if (team.predictions && team.predictions.made) {
      html += `<p class="predictions">${_("%(right)s of %(made)s predicted the majority correctly.", { right: team.predictions.right, made: team.predictions.made })}</p>`;
    }
    if (team.distribution2) {
      html += `<h3>${_("Second vote, after the discussion")}${seat.my_second_vote ? ` <span class="muted">${_("(you: %(choice)s)", { choice: esc(choiceLabel(seat.my_second_vote)) })}</span>` : ""}</h3>
        ${distributionTable(team.distribution2, _("Distribution of the second vote"))}`;
    }
    return html;
  }

  function prompts() {
    return `<h3>${_("Discuss together")}</h3><ul class="prompts" lang="${esc(team.room.language)}">${team.card.prompts.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`;
  }

  function stanceOptions() {
    const opts = team.card.kind === "dilemma"
      ? team.card.choices.map((c) => [String(c.value), "Voor: " + c.label])
      : [["for", _("For the statement")], ["against", _("Against the statement")]];
    return [["", _("General")]].concat(opts).map(([v, l]) => `<option value="${esc(v)}" ${draft.stance === v ? "selected" : ""}>${esc(l)}</option>`).join("");
  }

  function argumentForm() {
    if (!team.room_open || seat.observer) return "";
    return `<form class="argument-form" data-form="argument">
      <label for="arg-text">${_("Your argument")}</label>
      <textarea id="arg-text" maxlength="280" rows="2" placeholder="${_("Short and concrete")}">${esc(draft.argument)}</textarea>
      <div class="row"><label for="arg-stance" class="sr-only">${_("Position")}</label><select id="arg-stance">${stanceOptions()}</select>
      <button class="button">${_("Post")}</button></div></form>`;
  }

  function argumentsList() {
    if (!team.arguments.length) return `<h3>${_("Arguments")}</h3><p class="muted">${_("No arguments yet.")}</p>`;
    return `<h3>${_("Arguments (%(n)s)", { n: team.arguments.length })}</h3><ul class="arguments">${team.arguments.map((a) => `<li>
      <span class="stance">${esc(a.stance != null && team.card.kind === "dilemma" ? "Voor: " + choiceLabel(a.stance) : stanceLabel(a.stance))}</span>
      ${esc(a.text)}${seat.my_argument_ids.includes(a.id) ? ` <span class="muted">${_("(you)")}</span>` : ""}
      <span class="helpful">${a.helpful ? _("%(n)s× helpful", { n: a.helpful }) : ""}
      ${!seat.my_argument_ids.includes(a.id) && !seat.observer && team.room_open ? `<button class="chip small${seat.helpful_given.includes(a.id) ? " selected" : ""}" data-helpful="${a.id}"
        aria-pressed="${seat.helpful_given.includes(a.id)}" ${seat.helpful_given.includes(a.id) ? "disabled" : ""}>Nuttig</button>` : ""}</span></li>`).join("")}</ul>`;
  }

  function decisionArea() {
    if (!team.room_open) return "";
    if (team.phase === PH.DISCUSS) {
      if (team.settings.pacing === "plenary") return `<p class="muted center">${_("The facilitator takes the next step for all tables.")}</p>`;
      // One obvious next step: with a second vote on, that is the second vote; deciding at once stays possible.
      return myTurn() ? `<p class="center row-center">${team.settings.second_vote ? `<button class="button primary big" data-act="revote">${_("Vote a second time")}</button>` : ""}
          <button class="button big${team.settings.second_vote ? "" : " primary"}" data-act="to-decide">${_("To the decision")}</button></p>`
        : `<p class="muted center">${team.settings.second_vote ? _("%(name)s wraps up the discussion (perhaps with a second vote) and records the decision.", { name: esc(playerName(team.turn_player_id)) }) : _("%(name)s wraps up the discussion and records the decision.", { name: esc(playerName(team.turn_player_id)) })}</p>`;
    }
    if (!myTurn()) return `<p class="lead center">${_("%(name)s is recording the team's decision…", { name: esc(playerName(team.turn_player_id)) })}</p>`;
    const roles = team.room.roles.map((r) => `<option value="${esc(r)}">`).join("");
    return `<form class="decision-form panel" data-form="decision">
      <fieldset><legend>${_("The team's position")}</legend><div class="choice-grid">
      ${team.card.choices.map((c) => `<label class="choice"><input type="radio" name="position" value="${c.value}" ${decision.position === String(c.value) ? "checked" : ""}> <span>${esc(c.label)}</span></label>`).join("")}
      <label class="choice"><input type="radio" name="position" value="none" ${decision.position === "none" ? "checked" : ""}> <span>${_("No agreement")}</span></label></div></fieldset>
      <div class="field"><label for="rationale">${_("Why (one line)")}</label><input id="rationale" maxlength="200" value="${esc(decision.rationale)}"></div>
      <details ${decision.what || decision.owner || decision.due ? "open" : ""}><summary>${_("Add a follow-up action")}</summary>
        <div class="field"><label for="act-what">${_("What are we going to do?")}</label><input id="act-what" maxlength="200" value="${esc(decision.what)}"></div>
        <div class="row"><div class="field"><label for="act-owner">${_("Who (role or initials, no names)")}</label><input id="act-owner" list="role-list" maxlength="60" value="${esc(decision.owner)}"><datalist id="role-list">${roles}</datalist></div>
        <div class="field"><label for="act-due">${_("When")}</label><input id="act-due" type="date" value="${esc(decision.due)}"></div></div>
      </details>
      <p class="error" id="decision-error" role="alert" hidden></p>
      <button class="button primary big">${_("Record the decision")}</button></form>`;
  }

  function decisionsSoFar() {
    if (!team.decisions.length) return "";
    return `<details class="panel history" ${team.phase === PH.FINISHED ? "open" : ""}><summary>${_("The team's decisions (%(n)s)", { n: team.decisions.length })}</summary><ol>${team.decisions.map((d) =>
      `<li><strong>${esc(d.card_title)}</strong>: ${d.position == null ? _("no agreement") : esc(d.position_label)}${d.rationale ? ` — ${esc(d.rationale)}` : ""}
       ${d.action ? `<br><span class="muted">${_("Action: %(what)s · %(owner)s · %(due)s", { what: esc(d.action.what), owner: esc(d.action.owner), due: esc(d.action.due) })}</span>` : ""}</li>`).join("")}</ol></details>`;
  }

  /* ---------- input ---------- */
  function bind(root) {
    root.querySelectorAll("[data-vote]").forEach((b) => b.addEventListener("click", () => {
      const choice = Number(b.dataset.vote);
      const queued = queuedVote();
      const prediction = queued && queued.prediction != null ? queued.prediction : seat.my_prediction;
      seat = Object.assign({}, seat, { my_vote: choice }); render();  // optimistic; the ack confirms
      const payload = { round: team.round, choice: choice };
      if (team.phase === PH.VOTE && prediction != null) payload.prediction = prediction;
      sendVote(payload);
    }));
    root.querySelectorAll("[data-predict]").forEach((b) => b.addEventListener("click", () => {
      const prediction = Number(b.dataset.predict);
      const queued = queuedVote();
      const choice = queued ? queued.choice : seat.my_vote;
      seat = Object.assign({}, seat, { my_prediction: prediction }); render();
      sendVote({ round: team.round, choice: choice, prediction: prediction });
    }));
    root.querySelectorAll("[data-helpful]").forEach((b) => b.addEventListener("click", () => {
      b.disabled = true; send("mark_helpful", { round: team.round, argument: Number(b.dataset.helpful) });
    }));
    root.querySelectorAll("[data-comfort]").forEach((b) => b.addEventListener("click", () => {
      send("rate_comfort", { round: seat.comfort_due, score: Number(b.dataset.comfort) });
    }));
    const act = (name, event) => { const b = root.querySelector(`[data-act="${name}"]`); if (b) b.addEventListener("click", () => { b.disabled = true; send(event, { round: team.round }); }); };
    act("draw", "draw_card"); act("close", "close_vote"); act("to-decide", "start_decision"); act("revote", "start_revote");
    const arg = root.querySelector('[data-form="argument"]');
    if (arg) {
      const text = arg.querySelector("#arg-text"), stance = arg.querySelector("#arg-stance");
      text.addEventListener("input", () => { draft.argument = text.value; });
      stance.addEventListener("change", () => { draft.stance = stance.value; });
      arg.addEventListener("submit", (ev) => {
        ev.preventDefault();
        if (!text.value.trim()) { toast(_("Write an argument first.")); return; }
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
      if (!chosen) { err.textContent = _("Choose the team's position (or no agreement)."); err.hidden = false; return; }
      const what = dec.querySelector("#act-what").value.trim(), owner = dec.querySelector("#act-owner").value.trim(), due = dec.querySelector("#act-due").value;
      let action = null;
      if (what || owner || due) {
        if (!(what && owner && due)) { err.textContent = _("An action has a description, an owner and a date."); err.hidden = false; return; }
        action = { what: what, owner: owner, due: due };
      }
      send("record_decision", { round: team.round, position: chosen.value === "none" ? null : Number(chosen.value),
        rationale: dec.querySelector("#rationale").value, action: action });
    });
  }
})();
