// Paste a column from a spreadsheet into the entry form: when what is pasted into a value
// field holds several lines, each line fills the next value field of the form, in order.
// Without this script each field takes its own paste, as any input does.
(function () {
  "use strict";
  document.addEventListener("paste", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("input[data-paste-column]")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    var lines = text.replace(/\r/g, "").split("\n");
    while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
    if (lines.length < 2) return;
    event.preventDefault();
    var fields = Array.prototype.slice.call(
      field.form.querySelectorAll("input[data-paste-column]")
    );
    var start = fields.indexOf(field);
    var filled = 0;
    lines.forEach(function (line, offset) {
      var target = fields[start + offset];
      if (!target) return;
      target.value = line.split("\t")[0].trim();
      target.dispatchEvent(new Event("change", { bubbles: true }));
      filled += 1;
    });
    var status = document.getElementById("paste-status");
    if (status) status.textContent = status.dataset.template.replace("%(count)s", filled);
  });
})();
