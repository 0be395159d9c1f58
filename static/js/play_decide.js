/* The tablet's decision: the team's position, a one-line rationale and a visible follow-up action, the
   team's decisions so far in view. Drafts survive a reload; a refused owner stays explained until changed. */
(function () {
  "use strict";
  const _ = window.i18n.gettext;
  const K = window.inzetKit, esc = K.esc;

  function create(ctx) {
    const PH = ctx.phases;
    let ownerError = null;  // the server's reason an owner was refused, shown until the field changes

    function discussNext() {
      const team = ctx.team();
      if (team.settings.pacing === "plenary") return `<p class="muted center">${_("The facilitator takes the next step for all tables.")}</p>`;
      const name = esc(ctx.playerName(team.turn_player_id));
      // One obvious next step: with a second vote on, that is the second vote; deciding at once stays possible.
      return ctx.myTurn() ? `<p class="center row-center">${team.settings.second_vote ? `<button class="button primary big" data-act="revote">${_("Vote a second time")}</button>` : ""}
          <button class="button big${team.settings.second_vote ? "" : " primary"}" data-act="to-decide">${_("To the decision")}</button></p>`
        : `<p class="muted center">${team.settings.second_vote ? _("%(name)s wraps up the discussion (perhaps with a second vote) and records the decision.", { name: name }) : _("%(name)s wraps up the discussion and records the decision.", { name: name })}</p>`;
    }

    function render() {
      const team = ctx.team();
      if (!team.room_open) return "";
      if (team.phase === PH.DISCUSS) return discussNext();
      if (!ctx.myTurn()) return `<p class="lead center">${_("%(name)s is recording the team's decision…", { name: esc(ctx.playerName(team.turn_player_id)) })}</p>`;
      const d = ctx.decision();
      const roles = team.room.roles.map((r) => `<option value="${esc(r)}">`).join("");
      return `<form class="decision-form panel" data-form="decision">
        <fieldset><legend>${_("The team's position")}</legend><div class="choice-grid">
        ${team.card.choices.map((c) => `<label class="choice"><input type="radio" name="position" value="${c.value}" ${d.position === String(c.value) ? "checked" : ""}> <span>${esc(c.label)}</span></label>`).join("")}
        <label class="choice"><input type="radio" name="position" value="none" ${d.position === "none" ? "checked" : ""}> <span>${_("No agreement")}</span></label></div></fieldset>
        <div class="field"><label for="rationale">${_("Why (one line)")}</label><input id="rationale" maxlength="200" value="${esc(d.rationale)}"></div>
        <fieldset class="follow-up" data-testid="follow-up"><legend><span class="cue" aria-hidden="true">➜</span> ${_("Follow-up action (optional, earns points)")}</legend>
          <p class="muted">${_("What will the team do next, who takes it up (a role, a function title or initials — no full names) and by when?")}</p>
          <div class="field"><label for="act-what">${_("What are we going to do?")}</label><input id="act-what" maxlength="200" value="${esc(d.what)}"></div>
          <div class="row"><div class="field"><label for="act-owner">${_("Who (role, function title or initials)")}</label><input id="act-owner" list="role-list" maxlength="60" value="${esc(d.owner)}"
            ${ownerError ? `aria-invalid="true" aria-describedby="owner-error"` : ""}><datalist id="role-list">${roles}</datalist>
            ${ownerError ? `<p class="error" id="owner-error" role="alert" data-testid="owner-error">${esc(ownerError)}</p>` : ""}</div>
          <div class="field"><label for="act-due">${_("When")}</label><input id="act-due" type="date" value="${esc(d.due)}"></div></div>
        </fieldset>
        <p class="error" id="decision-error" role="alert" hidden></p>
        <button class="button primary big" id="record-decision">${_("Record the decision")}</button></form>`;
    }

    function history() {
      const team = ctx.team();
      if (!team.decisions.length) return "";
      return `<section class="panel history" aria-labelledby="history-title" data-testid="decisions-so-far"><h3 id="history-title">${_("The team's decisions so far (%(n)s)", { n: team.decisions.length })}</h3><ol>${team.decisions.map((d) =>
        `<li><strong>${esc(d.card_title)}</strong>: ${d.position == null ? _("no agreement") : esc(d.position_label)}${d.rationale ? ` — ${esc(d.rationale)}` : ""}
         ${d.action ? `<br><span class="muted">${_("Action: %(what)s · %(owner)s · %(due)s", { what: esc(d.action.what), owner: esc(d.action.owner), due: esc(d.action.due) })}</span>` : ""}</li>`).join("")}</ol></section>`;
    }

    function bind(root) {
      const dec = root.querySelector('[data-form="decision"]');
      if (!dec) return;
      const read = () => {
        const chosen = dec.querySelector('input[name="position"]:checked');
        return { position: chosen ? chosen.value : undefined, rationale: dec.querySelector("#rationale").value,
          what: dec.querySelector("#act-what").value, owner: dec.querySelector("#act-owner").value, due: dec.querySelector("#act-due").value };
      };
      dec.addEventListener("input", (ev) => {
        ctx.setDecision(read());
        if (ev.target.id === "act-owner" && ownerError) {  // the field changed: the old reason no longer applies
          ownerError = null;
          const el = dec.querySelector("#owner-error");
          if (el) el.remove();
          ev.target.removeAttribute("aria-invalid"); ev.target.removeAttribute("aria-describedby");
        }
      });
      dec.addEventListener("submit", (ev) => {
        ev.preventDefault();
        const err = dec.querySelector("#decision-error");
        const d = read();
        if (!d.position) { err.textContent = _("Choose the team's position (or no agreement)."); err.hidden = false; return; }
        const what = d.what.trim(), owner = d.owner.trim(), due = d.due;
        let action = null;
        if (what || owner || due) {
          if (!(what && owner && due)) { err.textContent = _("An action has a description, an owner and a date."); err.hidden = false; return; }
          action = { what: what, owner: owner, due: due };
        }
        const team = ctx.team();
        ctx.send("record_decision", { round: team.round, position: d.position === "none" ? null : Number(d.position), rationale: d.rationale, action: action },
          () => { ownerError = null; ctx.setDecision({}); },
          (error) => {
            if (error && error.code === "decide/invalid_owner") { ownerError = error.message; ctx.focusAfter("act-owner"); }
          });
      });
    }

    return { render: render, history: history, bind: bind };
  }

  window.inzetDecide = { create: create };
})();
