/* A PDF download shows that it is on its way: the report takes several seconds to lay out, and a link
   that seems to do nothing gets clicked again. The file is fetched here, with a running counter. */
(function () {
  "use strict";
  const dutch = (document.documentElement.lang || "nl").slice(0, 2) === "nl";
  // The dashboard has the gettext catalogue (i18n.js); the report page has none, so it speaks its own language.
  const i18n = window.i18n;
  const _ = i18n ? i18n.gettext : (s, p) => s.replace(/%\((\w+)\)s/g, (m, k) => (p && k in p ? p[k] : m));
  const T = {
    making: i18n ? _("Making the PDF… %(s)s s") : dutch ? "PDF wordt gemaakt… %(s)s s" : "Making the PDF… %(s)s s",
    done: i18n ? _("The PDF is ready.") : dutch ? "De PDF is klaar." : "The PDF is ready.",
    failed: i18n ? _("The PDF could not be made; please try again.") : dutch ? "De PDF kon niet worden gemaakt; probeer het opnieuw." : "The PDF could not be made; please try again.",
  };
  const fill = (text, params) => text.replace(/%\((\w+)\)s/g, (m, k) => (k in params ? params[k] : m));

  function filename(response) {
    const header = response.headers.get("Content-Disposition") || "";
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : "rapport.pdf";
  }

  function download(link) {
    if (link.dataset.busy) return;  // one download at a time per link
    link.dataset.busy = "1"; link.setAttribute("aria-busy", "true");
    let status = link.nextElementSibling;
    if (!status || !status.classList.contains("download-progress")) {
      status = document.createElement("span");
      status.className = "download-progress"; status.setAttribute("role", "status");
      link.insertAdjacentElement("afterend", status);
    }
    const started = Date.now();
    const tick = () => { status.textContent = fill(T.making, { s: Math.round((Date.now() - started) / 1000) }); };
    tick();
    const timer = setInterval(tick, 500);
    const finish = (text) => { clearInterval(timer); status.textContent = text; delete link.dataset.busy; link.removeAttribute("aria-busy"); };
    fetch(link.href, { credentials: "same-origin" }).then((response) => {
      if (!response.ok) throw new Error(String(response.status));
      return response.blob().then((blob) => {
        const url = URL.createObjectURL(blob), a = document.createElement("a");
        a.href = url; a.download = filename(response); document.body.appendChild(a); a.click(); a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        finish(T.done);
      });
    }).catch(() => finish(T.failed));
  }

  document.addEventListener("click", (ev) => {
    const link = ev.target.closest && ev.target.closest('a[data-format="pdf"], a[href*="format=pdf"]');
    if (!link || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    ev.preventDefault();
    download(link);
  });
})();
