// Behaviour that would otherwise be inline script, which the Content-Security-Policy forbids
// (script-src 'self'): a <select data-autosubmit> submits its form when its value changes.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit();
  }
});
