/* The scripts' texts, from the same gettext catalogues as the pages (docs/i18n.md). The server puts
   the messages a page's scripts use in <script type="application/json" data-i18n> blocks (no inline
   script under the CSP); `i18n.gettext("Vote now")` returns the text in the page's language and fills
   in %(name)s placeholders. Message ids are English, so a missing entry still reads sensibly. */
(function () {
  "use strict";
  let table = null;
  function load() {
    table = {};
    document.querySelectorAll('script[type="application/json"][data-i18n]').forEach((el) => Object.assign(table, JSON.parse(el.textContent)));
  }
  function fill(text, params) {
    return params ? text.replace(/%\((\w+)\)s/g, (m, key) => (key in params ? String(params[key]) : m)) : text;
  }
  function gettext(message, params) {
    if (!table) load();
    const t = table[message];
    return fill(typeof t === "string" && t ? t : message, params);
  }
  // Dutch and English share one plural rule: one, or other (n != 1).
  function ngettext(singular, plural, n, params) {
    if (!table) load();
    const forms = Array.isArray(table[singular]) ? table[singular] : [singular, plural];
    return fill(n === 1 ? forms[0] : forms[1], Object.assign({ num: n }, params));
  }
  window.i18n = { gettext: gettext, ngettext: ngettext, language: document.documentElement.lang || "nl" };
})();
