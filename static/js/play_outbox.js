/* The tablet's wire: actions sent with an acknowledgement, and votes kept on the tablet (localStorage)
   while there is no connection, sent the moment it is back, or said not to count, and why. */
(function () {
  "use strict";
  const _ = window.i18n.gettext;
  const esc = window.inzetKit.esc;
  const ACK_TIMEOUT_MS = 10000;

  function create(ctx) {
    const socket = ctx.socket;
    const OUTBOX_KEY = "inzetspel.outbox." + ctx.code;  // votes waiting for the connection survive a reload
    let pending = 0;      // actions sent and not yet acknowledged
    let lostVote = null;  // why a vote kept while offline was not counted: shown until the player taps it away
    // Votes tapped while the tablet has no connection: kept here (the latest per card and ballot) and
    // sent as soon as the connection is back, so a vote is never silently lost on flaky Wi-Fi.
    let outbox = loadOutbox();

    // Never emit while disconnected: Socket.IO would buffer the packet and send it later, after we
    // had told the player it was not sent.
    function send(event, payload, onOk, onRefused, onTimeout) {
      if (!socket.connected) { ctx.toast(_("Not sent: there is no connection. Try again when the connection is back.")); ctx.render(); return; }
      pending += 1; ctx.render();
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return; settled = true; pending -= 1;
        if (onTimeout) { onTimeout(); return; }
        ctx.render();
        ctx.toast(_("Not sent: there is no connection. Please try again."));
      }, ACK_TIMEOUT_MS);
      socket.emit(event, payload, (reply) => {
        if (settled) return; settled = true; clearTimeout(timer); pending -= 1;
        if (reply && reply.ok) { if (reply.seat) ctx.putSeat(reply.seat); if (reply.vote) keepOwnVote(reply.vote); if (onOk) onOk(reply); }
        else if (onRefused) onRefused(reply ? reply.error : null);
        ctx.render();
      });
    }

    // The ack of a vote that did not complete the ballot carries just that vote (the whole seat
    // comes with the reveal): the seat shows what the server stored.
    function keepOwnVote(v) {
      const seat = ctx.seat(), team = ctx.team();
      if (!seat || !team || seat.round !== v.round) return;
      const mine = v.ballot === 2 ? { my_second_vote: v.choice } : { my_first_vote: v.choice };
      if ((v.ballot === 2) === (team.phase === ctx.phases.REVOTE)) mine.my_vote = v.choice;
      if (v.prediction != null) mine.my_prediction = v.prediction;
      ctx.putSeat(Object.assign({}, seat, mine));
    }

    // No answer in time: the connection died unnoticed. Keep the vote and send it again after
    // reconnecting (casting the same vote twice is harmless; the server keeps the latest).
    function sendVote(payload) {
      const ballot = ctx.team().phase;
      if (socket.connected) send("cast_vote", payload, null, null, () => queueVote(payload, ballot));
      else queueVote(payload, ballot);
    }

    function queueVote(payload, ballot) {
      outbox = outbox.filter((v) => !(v.round === payload.round && v.ballot === ballot)).concat([Object.assign({ ballot: ballot }, payload)]);
      saveOutbox();
      ctx.render();
    }

    /* The vote that waits for this card and ballot, if any: the ballot shows it as chosen. */
    const queuedVote = () => { const team = ctx.team(); return team && outbox.find((v) => v.round === team.round && v.ballot === team.phase); };

    function flushOutbox() {
      const team = ctx.team(), seat = ctx.seat();
      if (!socket.connected || !outbox.length) return;
      const waiting = outbox; outbox = []; saveOutbox();
      waiting.forEach((v) => {
        const payload = { round: v.round, choice: v.choice };
        if (v.prediction != null) payload.prediction = v.prediction;
        // The card or the ballot moved on while the tablet was away: a first vote must never land in
        // the second ballot (or on another card). Say it was not counted instead of sending it.
        if (!team || v.round !== team.round || v.ballot !== team.phase) { voteLost(v); return; }
        // The server already has it (the ack was lost on the way back): nothing to resend.
        if (seat && team && v.round === team.round && v.ballot === team.phase && seat.my_vote === v.choice
            && (v.prediction == null || seat.my_prediction === v.prediction)) { ctx.toast(_("Your vote is in.")); return; }
        send("cast_vote", payload, () => ctx.toast(_("Your vote has been sent after all and counts.")),
          (err) => {
            if (err && /\/(wrong_phase|stale_round)$/.test(err.code)) voteLost(v);
            else ctx.toast(err ? _("Your vote was not counted: %(reason)s", { reason: err.message }) : _("Your vote was not counted."));
          }, () => queueVote(payload, v.ballot));
      });
      ctx.render();
    }

    // Said where the player looks, with the reason, until tapped away (not a five-second toast).
    function voteLost(v) {
      lostVote = _("Your vote on card %(n)s was not counted: the vote was closed while this tablet was offline.", { n: v.round });
      ctx.render();
      window.scrollTo(0, 0);  // the notice sits at the top of the game
    }

    function lostNotice() {
      return lostVote ? `<div class="vote-lost panel" role="alert" data-testid="vote-lost"><p>${esc(lostVote)}</p>
        <button class="button" id="dismiss-lost" data-dismiss-lost>${_("OK, understood")}</button></div>` : "";
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
      const el = document.getElementById("outbox");
      if (!el) return;
      el.hidden = !outbox.length;
      el.textContent = outbox.length ? _("No connection: your vote is kept and will be sent as soon as the connection is back.") : "";
    }

    return { send: send, sendVote: sendVote, queuedVote: queuedVote, flush: flushOutbox, renderOutbox: renderOutbox,
      lostNotice: lostNotice, dismissLost: () => { lostVote = null; }, pending: () => pending };
  }

  window.inzetOutbox = { create: create };
})();
