/* A "Copy" button copies the text of the field it names (`data-copy="<id>"`) and says so
   on itself for a moment (`data-copied`). Without JavaScript the field stays selectable. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var text = field.value !== undefined ? field.value : field.textContent;
    var said = button.textContent;
    function done() {
      button.textContent = button.getAttribute("data-copied") || said;
      setTimeout(function () { button.textContent = said; }, 2000);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { field.select(); });
    } else {
      field.select();
      done();
    }
  });
})();
