// The drafting review page: "add a row" appends a blank form to a section (a formset's empty form, kept
// in a <template>), so the reviewer can record a person, figure, request or directive the text missed.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const prefix = button.dataset.addRow;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`empty-${prefix}`);
  const list = document.getElementById(`rows-${prefix}`);
  if (!total || !template || !list) return;
  const index = Number.parseInt(total.value, 10);
  const holder = document.createElement("div");
  holder.innerHTML = template.innerHTML.replaceAll("__prefix__", String(index));
  const row = holder.firstElementChild;
  list.appendChild(row);
  total.value = String(index + 1);
  list.querySelector("[data-none]")?.remove();
  if (window.htmx) window.htmx.process(row);
  row.querySelector("textarea, input[type=text]")?.focus();
});
