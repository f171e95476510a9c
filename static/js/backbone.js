/* Backbone's own small script, loaded by base.html (the CSP allows no inline script).
   Everything here is progressive: each page works without it.

   1. Tables with the class "table-stack" become stacked rows on narrow screens (CSS in
      backbone.css): each data cell gets its column's name as `data-label`, again after every
      htmx swap, and the table is marked `data-stacked` once labelled.
   2. A form submitted without htmx cannot be sent twice: its submit buttons are disabled and
      marked busy (`aria-busy`, `.is-busy`) while the next page loads. htmx forms use
      `hx-disabled-elt` for the same. */
(function () {
  "use strict";

  function labelTable(table) {
    var names = [];
    table.querySelectorAll("thead tr:first-child > th").forEach(function (th) {
      var span = th.colSpan || 1;
      for (var i = 0; i < span; i++) names.push(th.textContent.trim());
    });
    table.querySelectorAll("tbody > tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var name = names[column];
        if (cell.tagName === "TD" && name && !cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) {
          cell.setAttribute("data-label", name);
        }
        column += cell.colSpan || 1;
      });
    });
    table.setAttribute("data-stacked", "");
  }

  function labelTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("table.table-stack")) labelTable(scope);
    scope.querySelectorAll("table.table-stack").forEach(labelTable);
    var table = scope.closest ? scope.closest("table.table-stack") : null;
    if (table) labelTable(table);
  }

  function setBusy(form, busy) {
    if (busy) form.setAttribute("aria-busy", "true");
    else form.removeAttribute("aria-busy");
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
      button.disabled = busy;
      button.classList.toggle("is-busy", busy);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // htmx handles its own requests (hx-disabled-elt); a form with a target opens elsewhere.
    if (event.defaultPrevented || form.hasAttribute("hx-post") || form.hasAttribute("hx-get") || form.target) return;
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    // Disabled after the browser has collected the form's data (the pressed button included);
    // given back after a while in case the answer was a download that leaves the page in place.
    window.setTimeout(function () { setBusy(form, true); }, 0);
    window.setTimeout(function () { setBusy(form, false); }, 10000);
  });

  // Back/forward cache: a page shown again must not keep its buttons disabled.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) { setBusy(form, false); });
  });

  document.addEventListener("DOMContentLoaded", function () { labelTables(document); });
  document.addEventListener("htmx:afterSettle", function (event) { labelTables(event.target); });
})();
