/* The dashboard's live role-group picture: the server renders it through the same privacy gate as the
   report (GET /rooms/CODE/groups, an HTML fragment); refreshed every 20 s and on demand. */
(function () {
  "use strict";
  const panel = document.querySelector(".role-groups-live");
  if (!panel) return;
  const target = document.getElementById("groups-live");
  async function refresh() {
    try {
      const response = await fetch(panel.dataset.url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.ok) target.innerHTML = await response.text();
    } catch (err) { /* offline for a moment: keep what is shown */ }
  }
  document.getElementById("groups-refresh").addEventListener("click", refresh);
  refresh();
  setInterval(refresh, 20000);
})();
