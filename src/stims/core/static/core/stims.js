// Behaviour that would otherwise be inline script, which the Content-Security-Policy forbids
// (script-src 'self'):
// * a <select data-autosubmit> submits its form when its value changes;
// * a search match <input type="checkbox" data-keep-when-checked> inside a .search-checks box moves to
//   the box's .chosen list when ticked, so the next search (which replaces the matches) keeps it.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit();
  }
  if (field instanceof HTMLInputElement && field.hasAttribute("data-keep-when-checked") && field.checked) {
    const chosen = field.closest(".search-checks")?.querySelector(".chosen");
    if (chosen) chosen.append(field.closest(".form-check"));
  }
});

// The search box of a search-select widget (core.forms.SearchSelect) has no name, so that a list's
// filter form never sends it as the list's own search "q" (an empty one would override the typed
// one): its text goes to the options URL here, as q.
document.addEventListener("htmx:configRequest", (event) => {
  const box = event.detail.elt;
  if (box instanceof HTMLInputElement && box.classList.contains("search-select-query")) {
    event.detail.parameters.q = box.value;
  }
});

// A box that scrolls sideways (a wide table on a phone) can be scrolled from the keyboard: when it
// holds nothing focusable itself, it takes the focus (tabindex=0).
function focusableScrollers() {
  for (const box of document.querySelectorAll("main .table-responsive, main table.table")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
    const hasFocusable = box.querySelector("a[href], button, input, select, textarea, [tabindex]");
    if (scrolls && !hasFocusable && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
  }
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
document.addEventListener("htmx:afterSettle", focusableScrollers);

// A detour link <a data-carry-form="FORM test id" href="…?next=URL"> (a workflow step's "attach the
// document first") carries what was typed in that form into its `next` URL, so coming back after the
// detour shows it again (the page fills its form from the query string).
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-carry-form]") : null;
  if (!link) return;
  const form = document.querySelector(`form[data-testid="${link.dataset.carryForm}"]`);
  if (!form) return;
  const target = new URL(link.href, window.location.href);
  const back = new URL(target.searchParams.get("next") || window.location.pathname, window.location.href);
  for (const [name, value] of new FormData(form)) {
    if (name !== "csrfmiddlewaretoken" && typeof value === "string" && value !== "") back.searchParams.set(name, value);
  }
  target.searchParams.set("next", back.pathname + back.search);
  link.href = target.toString();
});
