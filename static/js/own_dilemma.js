/* A player brings in a dilemma from their own organisation (during or after the room): a form on the
   tablet, sent over the tablet's own connection (window.inzetSocket, opened by play.js). */
(function () {
  "use strict";
  const box = document.getElementById("own-dilemma");
  const socket = window.inzetSocket;
  if (!box || !socket) return;
  const _ = window.i18n.gettext;  // texts from the gettext catalogues (i18n.js)
  const form = document.getElementById("own-dilemma-form");
  const error = document.getElementById("od-error");
  const done = document.getElementById("od-done");
  const options = document.getElementById("od-options");

  // Shown once the tablet has a seat (a snapshot arrived); the form lives outside the re-rendered game.
  socket.on("state", (data) => { if (data && (data.seat || data.team)) box.hidden = false; });
  socket.on("error", (err) => { if (err && err.code === "seat/unknown") box.hidden = true; });

  // The kinds are listed from their definitions (game/rules/kinds.py); each says whether it has written options.
  const chosen = () => form.querySelector('input[name="kind"]:checked');
  const writtenOptions = () => chosen().dataset.writtenOptions === "true";
  form.querySelectorAll('input[name="kind"]').forEach((r) => r.addEventListener("change", () => { options.hidden = !writtenOptions(); }));

  function fail(message) { error.textContent = message; error.hidden = false; done.hidden = true; }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    error.hidden = true;
    const payload = {
      title: form.title.value.trim(), text: form.text.value.trim(), kind: chosen().value,
      options: !writtenOptions() ? [] : Array.from(form.querySelectorAll('input[name="option"]')).map((i) => i.value.trim()).filter(Boolean),
    };
    if (payload.title.length < 3) { fail(_("Give your dilemma a title (at least 3 characters).")); return; }
    if (payload.text.length < 10) { fail(_("Describe the situation and the question (at least 10 characters).")); return; }
    if (writtenOptions() && payload.options.length < 2) { fail(_("A dilemma has at least two options.")); return; }
    if (!socket.connected) { fail(_("Not sent: there is no connection. Try again when the connection is back.")); return; }
    const button = form.querySelector("button");
    button.disabled = true;
    socket.timeout(10000).emit("submit_dilemma", payload, (timeout, reply) => {
      button.disabled = false;
      if (timeout) { fail(_("Not sent: no answer from the server. Please try again.")); return; }
      if (!reply || !reply.ok) { fail(reply ? reply.error.message : _("Not sent.")); return; }
      form.reset(); options.hidden = !writtenOptions();
      done.textContent = _("Thank you! “%(title)s” has been sent; the facilitator will look at it.", { title: reply.submission.title });
      done.hidden = false;
    });
  });
})();
