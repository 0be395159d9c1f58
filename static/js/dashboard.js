/* The facilitator's live dashboard: every team's phase and progress, who voted (never what),
   alerts on where to walk to, and the controls to drive the room. */
(function () {
  "use strict";
  const CFG = JSON.parse(document.getElementById("inzet-config").textContent);
  const _ = window.i18n.gettext, ngettext = window.i18n.ngettext;  // texts from the gettext catalogues (i18n.js)
  const PH = CFG.phases;
  const KINDS = window.inzetKinds.create(CFG.kinds);  // what differs between card kinds (kinds.js)
  const LABEL = { [PH.DRAW]: _("Draw a card"), [PH.VOTE]: _("Voting"), [PH.DISCUSS]: _("Discussing"), [PH.REVOTE]: _("Second vote"),
    [PH.DECIDE]: _("Deciding"), [PH.FINISHED]: _("Done") };
  // Alerts arrive as a kind with numbers (game/rules/alerts.py) and are worded here, in the page's language.
  const ALERT = {
    split: (p) => _("Split: no choice got half of the %(total)s votes.", p),
    prediction_gap: (p) => _("Perception and reality differ: %(right)s of %(made)s predicted the majority correctly.", p),
    stuck: (p) => ngettext("%(num)s minute in this phase already.", "%(num)s minutes in this phase already.", p.minutes),
    offline: (p) => ngettext("%(num)s player offline: %(names)s", "%(num)s players offline: %(names)s", p.count, p),
    comfort: (p) => _("%(low)s of %(answered)s can hardly live with the decision on ‘%(card)s’.", p),
  };
  const alertText = (a) => (ALERT[a.kind] && a.params ? ALERT[a.kind](a.params) : a.text);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const $ = (sel) => document.querySelector(sel);
  // A deck's themes are slugs ("regionale-mobiliteit"): shown as words ("Regionale mobiliteit").
  const themeTitle = (slug) => { const words = String(slug).replace(/[-_]+/g, " ").trim(); return words.charAt(0).toUpperCase() + words.slice(1); };
  let room = CFG.overview.room;
  const cards = CFG.overview.cards || [];
  const teams = new Map(CFG.overview.teams.map((t) => [t.team.id, t]));
  // "Can you live with it?" per team: counts only, for the facilitator's eyes (never on the big screen).
  const comfort = new Map((CFG.overview.comfort || []).map((c) => [c.team_id, c]));
  const grid = document.getElementById("teams");
  const socket = io({ transports: ["websocket", "polling"], query: { lang: window.i18n.language } });

  function status(text) { $("#control-status").textContent = text; }
  function call(event, payload, done) {
    socket.emit(event, payload, (reply) => {
      if (!reply || !reply.ok) { status(reply ? reply.error.message : _("No connection to the server.")); return; }
      status("");
      if (done) done(reply);
    });
  }

  socket.on("connect", () => call("watch_room", { code: CFG.code }, (reply) => {
    room = reply.overview.room;
    reply.overview.teams.forEach((t) => teams.set(t.team.id, t));
    (reply.overview.comfort || []).forEach((c) => comfort.set(c.team_id, c));
    setNewSubmissions(reply.overview.submissions);
    render();
  }));
  socket.on("team_progress", (view) => {
    if (!window.teamViews.isNewer(teams.get(view.team.id), view)) return;
    teams.set(view.team.id, view);
    room = Object.assign({}, room, { paused: view.paused, message: view.message, settings: view.settings, open: view.room_open });
    render();
  });
  socket.on("voted", (d) => {  // a missed step is ignored here: the reveal brings the whole view
    const known = teams.get(d.team_id), next = window.teamViews.withVotes(known, d);
    if (next && next !== known) { teams.set(d.team_id, next); render(); }
  });
  socket.on("disconnect", () => status(_("Connection to the server lost; reconnecting…")));
  socket.on("comfort", (c) => { comfort.set(c.team_id, c); render(); });
  socket.on("dilemma_submitted", (d) => setNewSubmissions(d.new));
  function setNewSubmissions(n) { const el = $("#submissions-new"); if (el && n != null) el.textContent = n; }

  /* ---------- room controls ---------- */
  $("#pause").addEventListener("click", () => call("pause_room", { code: CFG.code, on: !room.paused }));
  $("#lock").addEventListener("click", () => call("lock_room", { code: CFG.code, on: !room.locked }, (r) => { room.locked = r.locked; renderControls(); }));
  // Tablets of a voting team that are offline without having voted: a vote may still be on its way.
  const offlineVoters = (t) => (t.phase === PH.VOTE || t.phase === PH.REVOTE
    ? t.players.filter((p) => p.votes_this_card && !p.voted && !p.online && !p.observer) : []);
  const closeAnyway = (away) => !away.length || confirm(ngettext("The tablet of %(names)s is offline: a vote may still be on its way. Close anyway?",
    "The tablets of %(names)s are offline: votes may still be on their way. Close anyway?", away.length, { names: away.map((p) => p.name).join(", ") }));
  $("#advance-all").addEventListener("click", () => closeAnyway([].concat(...Array.from(teams.values()).map(offlineVoters)))
    && call("advance_all", { code: CFG.code }, (r) => {
    if (r.waiting.length) status(_("%(moved)s table(s) moved on; %(waiting)s table(s) must do something themselves first (record the decision).", { moved: r.moved.length, waiting: r.waiting.length }));
  }));
  $("#start-tables").addEventListener("click", () => call("start_tables", { code: CFG.code }, (r) => {
    status(_("%(n)s table(s) started.", { n: r.started.length }));
  }));
  $("#message-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    call("broadcast_message", { code: CFG.code, text: $("#message").value }, () => status($("#message").value ? _("Message sent.") : _("Message cleared.")));
  });
  const form = $("#settings-form");
  function fillSettings() {
    const s = room.settings;
    form.pacing.value = s.pacing;
    ["second_vote", "predictions", "comfort", "points"].forEach((k) => { form[k].checked = !!s[k]; });
    form.vote_seconds.value = s.vote_seconds || ""; form.discuss_seconds.value = s.discuss_seconds || "";
    form.team_quorum.value = s.team_quorum || 2;
  }
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const num = (v) => (v === "" ? null : Number(v));
    const settings = { pacing: form.pacing.value, second_vote: form.second_vote.checked, predictions: form.predictions.checked,
      comfort: form.comfort.checked, points: form.points.checked, vote_seconds: num(form.vote_seconds.value),
      discuss_seconds: num(form.discuss_seconds.value), team_quorum: Number(form.team_quorum.value) || 2,
      min_group: room.settings.min_group || 5 };  // kept as it is: the privacy gate's minimum is not edited here
    call("update_settings", { code: CFG.code, settings: settings }, () => { room.settings = settings; status(_("Rules saved.")); });
  });

  function renderControls() {
    $("#pause").textContent = room.paused ? _("Resume") : _("Pause");
    $("#lock").textContent = room.locked ? _("Open again to new participants") : _("Close the session to new participants");
    $("#advance-all").hidden = room.settings.pacing !== "plenary";
    const steps = Array.from(teams.values()).map(nextStep).filter(Boolean);
    const common = steps.sort((a, b) => steps.filter((s) => s === b).length - steps.filter((s) => s === a).length)[0];
    $("#advance-all").textContent = _("All tables: next step") + (common ? ` · ${common.toLowerCase()}` : "");
    ["#pause", "#lock", "#advance-all"].forEach((s) => { $(s).disabled = !room.open; });
    // Tables still waiting for their quorum before the first card can be started by hand.
    $("#start-tables").hidden = !room.open || room.settings.pacing === "plenary"
      || !Array.from(teams.values()).some((t) => t.phase === PH.DRAW && t.rounds_done === 0 && t.players.some((p) => !p.observer));
  }

  /* ---------- teams ---------- */
  function nextStep(t) {
    if (!t.players.length && t.phase === PH.DRAW) return null;
    return { [PH.DRAW]: _("Draw a card"), [PH.VOTE]: t.votes_cast ? _("Close the vote") : null, [PH.REVOTE]: t.votes_cast ? _("Close the vote") : null,
      [PH.DISCUSS]: room.settings.second_vote ? _("Start the second vote") : _("To the decision") }[t.phase] || null;
  }

  // A team's distribution as the privacy gate released it (game/rules/live_figures.py): the server sends
  // none for a table below the minimum group, and a unanimous one is worded, never shown as n of n.
  function figures(t) {
    const min = room.settings.min_group || 5, seated = t.players.filter((p) => !p.observer).length;
    if (t.withheld) return `<p class="muted figures" data-testid="figures-${t.team.id}">${seated < min ? _("Votes of this table are not shown here: fewer than %(n)s players.", { n: min }) : _("Votes of this table are not shown here: with the room's result they would give away a smaller table's votes.")}</p>`;
    const dist = t.distribution2 || t.distribution;
    if (!dist || !t.card) return "";
    const mark = (v) => KINDS.mark(t.card, v);
    const unanimous = t.distribution2 ? t.distribution2_unanimous : t.distribution_unanimous;
    const text = unanimous ? _("everyone agreed: %(choice)s", { choice: mark(dist.find((d) => d.count).value) })
      : dist.map((d) => `${mark(d.value)} ${d.count}`).join(" · ");
    return `<p class="figures" data-testid="figures-${t.team.id}">${t.distribution2 ? _("After the discussion") : _("The vote")}: <strong>${text}</strong></p>`;
  }

  function render() {
    renderControls();
    const options = Array.from(teams.values()).map((t) => `<option value="${t.team.id}">${esc(t.team.name)}</option>`).join("");
    const openDecisions = new Set(Array.from(grid.querySelectorAll("details[data-decisions][open]")).map((d) => d.dataset.decisions));
    grid.innerHTML = Array.from(teams.values()).map((t) => {
      const c = comfort.get(t.team.id);
      const alerts = t.alerts.concat(c ? c.alerts : []);
      const online = t.players.filter((p) => p.online).length;
      const turn = t.players.find((p) => p.id === t.turn_player_id);
      const step = nextStep(t);
      const inRound = t.card && t.phase !== PH.FINISHED && t.phase !== PH.DRAW;
      return `<article class="panel team-card" data-team="${t.team.id}">
        <header><h2>${esc(t.team.name)}</h2><span class="phase-pill phase-${t.phase}">${LABEL[t.phase]}</span></header>
        <p class="muted">${_("Card %(n)s of %(total)s", { n: Math.min(t.round, t.cards_total), total: t.cards_total })} · ${_("%(n)s decided", { n: t.rounds_done })} · ${_("%(online)s/%(all)s online", { online: online, all: t.players.length })}${t.points != null ? ` · ${ngettext("%(num)s point", "%(num)s points", t.points)}` : ""}</p>
        ${t.card && t.phase !== PH.FINISHED ? `<p><strong>${esc(t.card.title)}</strong></p>` : ""}
        ${t.phase === PH.VOTE || t.phase === PH.REVOTE ? `<p>${_("%(cast)s of %(needed)s voted", { cast: t.votes_cast, needed: t.votes_needed })}</p>` : ""}
        ${(t.phase_seconds != null && t.phase !== PH.FINISHED) || turn ? `<p class="muted">${t.phase_seconds != null && t.phase !== PH.FINISHED ? _("%(minutes)s min in this phase", { minutes: Math.floor(t.phase_seconds / 60) }) + (t.seconds_left != null ? ` · ${_("timer %(seconds)s s", { seconds: t.seconds_left })}` : "") : ""}${turn ? `${t.phase !== PH.FINISHED && t.phase_seconds != null ? " · " : ""}${_("Turn: %(name)s", { name: esc(turn.name) })}` : ""}</p>` : ""}
        ${alerts.length ? `<ul class="alerts">${alerts.map((a) => `<li class="${a.level}">${esc(alertText(a))}</li>`).join("")}</ul>` : ""}
        ${c && c.answered && !c.low ? `<p class="muted comfort-count" data-testid="comfort-${t.team.id}">${_("Can you live with it? %(answers)s, %(low)s (anonymous)", { answers: ngettext("%(num)s answer", "%(num)s answers", c.answered), low: c.low ? "<strong>" + _("%(n)s low", { n: c.low }) + "</strong>" : _("no low scores") })}</p>` : ""}
        ${c && c.withheld ? `<p class="muted comfort-count" data-testid="comfort-withheld-${t.team.id}">${_("Can you live with it? Not shown for this table: fewer than %(n)s answers.", { n: room.settings.min_group || 5 })}</p>` : ""}
        ${figures(t)}
        <ul class="mini-players">${t.players.map((p) => `<li class="${p.online ? "" : "away"}"><span>${esc(p.name)}${(t.phase === PH.VOTE || t.phase === PH.REVOTE) && p.voted ? " ✓" : ""} <span class="muted mini-role">${esc(p.role)}${p.observer ? " · " + _("watching") : ""}</span></span>
          ${room.open ? `<span><label class="sr-only" for="move-${p.id}">${_("Move %(name)s", { name: esc(p.name) })}</label><select id="move-${p.id}" data-move-player="${p.id}">${options.replace(`value="${t.team.id}"`, `value="${t.team.id}" selected`)}</select>
          ${t.players.length > 1 ? `<label class="sr-only" for="merge-${p.id}">${_("Merge %(name)s into another seat", { name: esc(p.name) })}</label><select id="merge-${p.id}" data-merge-player="${p.id}"><option value="">${_("merge…")}</option>${t.players.filter((o) => o.id !== p.id).map((o) => `<option value="${o.id}">${_("into %(name)s", { name: esc(o.name) })}</option>`).join("")}</select>` : ""}
          <button class="link" data-remove="${p.id}" aria-label="${_("Remove %(name)s", { name: esc(p.name) })}">${_("remove")}</button></span>` : ""}</li>`).join("")}</ul>
        ${room.open ? `<div class="team-actions">
          ${step ? `<button class="button" data-advance="${t.team.id}">${step}</button>` : ""}
          ${t.phase === PH.DISCUSS && room.settings.second_vote ? `<button class="button" data-decide="${t.team.id}" data-round="${t.round}">${_("To the decision")}</button>` : ""}
          ${inRound ? `<button class="button" data-skip="${t.team.id}" data-round="${t.round}">${_("Skip the card")}</button>` : ""}</div>` : ""}
        ${t.decisions.length ? `<details class="mini-decisions" data-decisions="${t.team.id}" ${openDecisions.has(String(t.team.id)) ? "open" : ""}><summary>${_("Decisions so far (%(n)s)", { n: t.decisions.length })}</summary>
          <ol>${t.decisions.map((d) => `<li><strong>${esc(d.card_title)}</strong>: ${d.position == null ? _("no agreement") : esc(d.position_label)}${d.action ? ` <span class="muted">· ${_("action: %(what)s", { what: esc(d.action.what) })}</span>` : ""}</li>`).join("")}</ol></details>` : ""}
      </article>`;
    }).join("");
    grid.querySelectorAll("[data-advance]").forEach((b) => b.addEventListener("click", () => {
      const t = teams.get(Number(b.dataset.advance));
      if (t && !closeAnyway(offlineVoters(t))) return;  // closing a vote while a tablet of the team is offline
      b.disabled = true; call("advance_team", { team_id: Number(b.dataset.advance) });
    }));
    grid.querySelectorAll("[data-merge-player]").forEach((s) => s.addEventListener("change", () => {
      if (!s.value) return;
      if (!confirm(_("Merge these two seats? The votes and arguments go to the seat you keep; the other seat is removed."))) { s.value = ""; return; }
      call("merge_players", { keep_id: Number(s.value), drop_id: Number(s.dataset.mergePlayer) });
    }));
    grid.querySelectorAll("[data-decide]").forEach((b) => b.addEventListener("click", () => {
      b.disabled = true; call("team_move", { team_id: Number(b.dataset.decide), move: "start_decision", round: Number(b.dataset.round) });
    }));
    grid.querySelectorAll("[data-skip]").forEach((b) => b.addEventListener("click", () => {
      if (!confirm(_("Skip this card? The team records no decision on it."))) return;
      call("team_move", { team_id: Number(b.dataset.skip), move: "skip_card", round: Number(b.dataset.round) });
    }));
    grid.querySelectorAll("[data-move-player]").forEach((s) => s.addEventListener("change", () => call("move_player", { player_id: Number(s.dataset.movePlayer), team_id: Number(s.value) })));
    grid.querySelectorAll("[data-remove]").forEach((b) => b.addEventListener("click", () => {
      if (confirm(_("Remove this player? Votes already cast keep counting anonymously."))) call("remove_player", { player_id: Number(b.dataset.remove) });
    }));
    renderCoverage();
  }

  function renderCoverage() {
    const played = new Set();
    teams.forEach((t) => cards.slice(0, t.rounds_done).forEach((c) => c.themes.forEach((th) => played.add(th))));
    $("#coverage").innerHTML = (room.themes || []).map((th) => `<li class="${played.has(th) ? "done" : ""}" title="${esc(th)}">${played.has(th) ? "✓ " : ""}${esc(themeTitle(th))}</li>`).join("");
  }

  fillSettings();
  render();
})();
