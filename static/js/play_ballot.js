/* The tablet's ballot: the vote and the prediction of the team's majority are one act. A chosen option
   waits on the tablet until the player predicts (or skips predicting); then both go in one cast_vote,
   so the last voter predicts too and the automatic reveal never cuts a prediction off. */
(function () {
  "use strict";
  const _ = window.i18n.gettext, ngettext = window.i18n.ngettext;
  const K = window.inzetKit, esc = K.esc;
  let picked = null;      // {round, phase, choice}: chosen, not yet sent (the prediction comes with it)
  let closeArmed = null;  // "round/phase" once the turn player was warned about an offline tablet

  function create(ctx) {
    const PH = ctx.phases, KINDS = ctx.kinds;
    const pickedNow = (team) => (picked && picked.round === team.round && picked.phase === team.phase ? picked.choice : null);
    const predicting = (team) => team.phase === PH.VOTE && team.settings.predictions;

    function render() {
      const team = ctx.team(), seat = ctx.seat();
      const open = team.room_open && !team.paused;
      const second = team.phase === PH.REVOTE;
      if (seat.observer) return `<p class="lead center">${_("You are watching; the players are voting now.")}</p>${voteCount()}`;
      const meInTeam = team.players.find((p) => p.id === seat.player_id);
      if (!meInTeam || !meInTeam.votes_this_card) return `<p class="lead center">${_("You joined during this card: you vote from the next card on.")}</p>${voteCount()}`;
      const queued = ctx.queuedVote();
      const sent = queued ? queued.choice : seat.my_vote;
      const pick = pickedNow(team);
      const shown = pick != null ? pick : sent;
      const myPrediction = queued && queued.prediction != null ? queued.prediction : seat.my_prediction;
      // A vote waiting for the connection is not "in": say so where the player looks.
      const heading = queued ? _("No connection: your vote is kept and will be sent as soon as the connection is back.")
        : pick != null && sent == null ? _("Your choice is ready: now predict your team's majority, and both are sent together.")
        : second ? (sent ? _("Your second vote is in.") : _("Vote again, after the discussion (your first vote does not count here)"))
        : (sent ? _("Your vote is in. You can still change it until the reveal.") : _("Your vote (nobody sees what you choose)"));
      let html = `<h3 id="vote-label" aria-live="polite">${heading}</h3>
        <div class="options" role="radiogroup" aria-labelledby="vote-label" lang="${esc(team.room.language)}">${team.card.choices.map((c) =>
          `<button id="vote-${c.value}" class="option${shown === c.value ? " selected" : ""}" role="radio" aria-checked="${shown === c.value}" data-vote="${c.value}" ${open ? "" : "disabled"}>
            <span class="num">${esc(KINDS.mark(team.card, c.value))}</span><span>${esc(c.label)}</span></button>`).join("")}</div>`;
      if (!second && team.settings.predictions) {
        const opts = KINDS.predictions(team.card);
        const ready = shown != null;
        html += `<div class="predict${pick != null && sent == null ? " waiting" : ""}" id="predict"><h3 id="predict-label">${_("And what do you think the majority of your team will choose?")}</h3>
          <div class="predict-options" role="radiogroup" aria-labelledby="predict-label">${opts.map((o) =>
            `<button id="predict-${o.value}" class="chip${myPrediction === o.value ? " selected" : ""}" role="radio" aria-checked="${myPrediction === o.value}"
              data-predict="${o.value}" ${open && ready ? "" : "disabled"}>${esc(o.label)}</button>`).join("")}</div>
          ${ready ? "" : `<p class="muted">${_("Choose your own vote first; it is sent together with your prediction.")}</p>`}
          ${pick != null && sent == null ? `<p><button id="predict-skip" class="button link" data-skip-predict ${open ? "" : "disabled"}>${_("Send my vote without a prediction")}</button></p>` : ""}</div>`;
      }
      return html + voteCount();
    }

    function offlineWaiting(team) {
      return team.players.filter((p) => p.votes_this_card && !p.voted && !p.online && !p.observer);
    }

    function voteCount() {
      const team = ctx.team();
      const plenary = team.settings.pacing === "plenary";
      const absent = team.votes_absent || 0;
      let html = `<p class="muted center" data-testid="vote-count">${_("%(cast)s of %(needed)s at the table have voted.", { cast: team.votes_cast, needed: team.votes_needed })}
        ${absent ? ngettext("%(num)s player is offline and is not waited for.", "%(num)s players are offline and are not waited for.", absent) : ""}</p>`;
      if (ctx.myTurn() && team.room_open && !plenary && !team.paused) {
        const armed = closeArmed === team.round + "/" + team.phase;
        const away = offlineWaiting(team);
        if (armed && away.length) {
          html += `<p class="warning center" role="alert" data-testid="close-warning">${ngettext(
            "The tablet of %(names)s is offline: a vote may still be on its way. Close anyway?",
            "The tablets of %(names)s are offline: votes may still be on their way. Close anyway?", away.length,
            { names: away.map((p) => esc(p.name)).join(", ") })}</p>`;
        }
        html += `<p class="center"><button id="close-vote" class="button" data-close-vote ${team.votes_cast ? "" : "disabled"}>${armed && away.length ? _("Close anyway") : _("Close the vote and reveal")}</button></p>`;
      }
      return html;
    }

    function bind(root) {
      const team = ctx.team();
      root.querySelectorAll("[data-vote]").forEach((b) => b.addEventListener("click", () => {
        const t = ctx.team(), seat = ctx.seat(), choice = Number(b.dataset.vote);
        const queued = ctx.queuedVote();
        const sent = queued ? queued.choice : seat.my_vote;
        const prediction = queued && queued.prediction != null ? queued.prediction : seat.my_prediction;
        if (predicting(t) && sent == null) {  // the first pick waits for the prediction
          picked = { round: t.round, phase: t.phase, choice: choice };
          ctx.render();
          const predict = document.getElementById("predict");
          if (predict) predict.scrollIntoView({ block: "nearest" });  // in view on a portrait iPad
          return;
        }
        const payload = { round: t.round, choice: choice };
        if (t.phase === PH.VOTE && prediction != null) payload.prediction = prediction;
        ctx.setSeat({ my_vote: choice });  // optimistic; the ack confirms
        ctx.sendVote(payload);
      }));
      root.querySelectorAll("[data-predict]").forEach((b) => b.addEventListener("click", () => {
        const t = ctx.team(), seat = ctx.seat(), prediction = Number(b.dataset.predict);
        const queued = ctx.queuedVote();
        const choice = pickedNow(t) != null ? pickedNow(t) : queued ? queued.choice : seat.my_vote;
        if (choice == null) return;
        picked = null;
        ctx.setSeat({ my_vote: choice, my_prediction: prediction });
        ctx.sendVote({ round: t.round, choice: choice, prediction: prediction });
      }));
      const skip = root.querySelector("[data-skip-predict]");
      if (skip) skip.addEventListener("click", () => {
        const t = ctx.team(), choice = pickedNow(t);
        if (choice == null) return;
        picked = null;
        ctx.focusAfter(`vote-${choice}`);  // the skip button goes away: focus back on the chosen option
        ctx.setSeat({ my_vote: choice });
        ctx.sendVote({ round: t.round, choice: choice });
      });
      const close = root.querySelector("[data-close-vote]");
      if (close) close.addEventListener("click", () => {
        const key = team.round + "/" + team.phase;
        if (closeArmed !== key && offlineWaiting(ctx.team()).length) { closeArmed = key; ctx.render(); return; }
        close.disabled = true;
        ctx.send("close_vote", { round: team.round });
      });
    }

    return { render: render, bind: bind };
  }

  window.inzetBallot = { create: create };
})();
