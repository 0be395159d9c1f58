/* The tablet's discussion: the revealed distribution (bars and numbers), the prompts, the arguments
   (anonymous) with their "helpful" taps, and the argument form whose draft survives a reload. */
(function () {
  "use strict";
  const _ = window.i18n.gettext;
  const K = window.inzetKit, esc = K.esc;

  function create(ctx) {
    let team = null, seat = null;  // read from ctx at each render and bind: the views are replaced, never changed
    const KINDS = ctx.kinds;  // the card kinds' definitions (kinds.js)
    const choiceLabel = (v) => { const c = team.card && team.card.choices.find((x) => x.value === v); return c ? c.label : ""; };
    const stanceLabel = (s) => s == null ? _("General") : KINDS.stanceLabel(team.card, s) || _("Option %(option)s", { option: s });
    const fresh = () => { team = ctx.team(); seat = ctx.seat(); };

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
      fresh();
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
      fresh();
      return `<h3>${_("Discuss together")}</h3><ul class="prompts" lang="${esc(team.room.language)}">${team.card.prompts.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`;
    }

    function stanceOptions() {
      const opts = KINDS.stances(team.card).map((s) => [s.value, s.label]);
      return [["", _("General")]].concat(opts).map(([v, l]) => `<option value="${esc(v)}" ${ctx.draft().stance === v ? "selected" : ""}>${esc(l)}</option>`).join("");
    }

    function argumentForm() {
      fresh();
      if (!team.room_open || seat.observer) return "";
      return `<form class="argument-form" data-form="argument">
        <label for="arg-text">${_("Your argument")}</label>
        <textarea id="arg-text" maxlength="280" rows="2" placeholder="${_("Short and concrete")}">${esc(ctx.draft().argument)}</textarea>
        <div class="row"><label for="arg-stance" class="sr-only">${_("Position")}</label><select id="arg-stance">${stanceOptions()}</select>
        <button class="button">${_("Post")}</button></div></form>`;
    }

    function argumentsList() {
      fresh();
      if (!team.arguments.length) return `<h3>${_("Arguments")}</h3><p class="muted">${_("No arguments yet.")}</p>`;
      return `<h3>${_("Arguments (%(n)s)", { n: team.arguments.length })}</h3><ul class="arguments">${team.arguments.map((a) => `<li>
        <span class="stance">${esc(stanceLabel(a.stance))}</span>
        ${esc(a.text)}${seat.my_argument_ids.includes(a.id) ? ` <span class="muted">${_("(you)")}</span>` : ""}
        <span class="helpful">${a.helpful ? _("%(n)s× helpful", { n: a.helpful }) : ""}
        ${!seat.my_argument_ids.includes(a.id) && !seat.observer && team.room_open ? `<button class="chip small${seat.helpful_given.includes(a.id) ? " selected" : ""}" data-helpful="${a.id}"
          aria-pressed="${seat.helpful_given.includes(a.id)}" ${seat.helpful_given.includes(a.id) ? "disabled" : ""}>${_("Helpful")}</button>` : ""}</span></li>`).join("")}</ul>`;
    }

    function bind(root) {
      fresh();
      const round = team.round;
      root.querySelectorAll("[data-helpful]").forEach((b) => b.addEventListener("click", () => {
        b.disabled = true; ctx.send("mark_helpful", { round: round, argument: Number(b.dataset.helpful) });
      }));
      const arg = root.querySelector('[data-form="argument"]');
      if (!arg) return;
      const text = arg.querySelector("#arg-text"), stance = arg.querySelector("#arg-stance");
      text.addEventListener("input", () => { ctx.setDraft(Object.assign({}, ctx.draft(), { argument: text.value })); });
      stance.addEventListener("change", () => { ctx.setDraft(Object.assign({}, ctx.draft(), { stance: stance.value })); });
      arg.addEventListener("submit", (ev) => {
        ev.preventDefault();
        if (!text.value.trim()) { ctx.toast(_("Write an argument first.")); return; }
        const s = stance.value === "" ? null : (/^\d$/.test(stance.value) ? Number(stance.value) : stance.value);
        const id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9]/g, "").slice(0, 32);
        ctx.send("post_argument", { round: round, id: id, stance: s, text: text.value }, () => { ctx.setDraft({ argument: "", stance: "" }); });
      });
    }

    return { results: results, prompts: prompts, argumentForm: argumentForm, argumentsList: argumentsList, bind: bind };
  }

  window.inzetDiscuss = { create: create };
})();
