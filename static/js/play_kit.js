/* Shared helpers of the player's tablet: escaping, selectors, and the drafts kept on the tablet until sent. */
(function () {
  "use strict";
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const $ = (sel) => document.querySelector(sel);

  // Typed text (argument, rationale, action) survives a reload or a sleeping tablet: it is kept in
  // localStorage per card and cleared once sent, or when the next card comes.
  function drafts(code) {
    const key = "inzetspel.drafts." + code;
    return {
      load(round) {
        try { const d = JSON.parse(localStorage.getItem(key)); return d && d.round === round ? d : null; } catch (e) { return null; }
      },
      save(round, data) {
        try { localStorage.setItem(key, JSON.stringify(Object.assign({}, data, { round: round }))); } catch (e) { /* storage full: memory only */ }
      },
    };
  }

  window.inzetKit = { esc: esc, $: $, drafts: drafts };
})();
