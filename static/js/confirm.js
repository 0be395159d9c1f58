/* Forms that change something irreversible ask first: <form data-confirm="Question?">.
   (An external script instead of onsubmit="...": the Content-Security-Policy allows no inline script.) */
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
