/* The counter form's procedure search (one_stop.views.counter_receipt). A match picked fills its code into the
   receipt form in place — what the clerk already typed stays — and the field's change event lets htmx load its
   checklist, as when the code is typed. Without this file each match is a link that opens the form with the code. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: the link's own page
    }
    var link = event.target.closest ? event.target.closest("a.procedure-pick") : null;
    var field = document.getElementById("id_procedure");
    if (!link || !field) {
      return;
    }
    event.preventDefault();
    field.value = link.getAttribute("data-procedure");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    var picks = document.querySelectorAll("a.procedure-pick");
    for (var i = 0; i < picks.length; i++) {
      picks[i].removeAttribute("aria-current");
    }
    link.setAttribute("aria-current", "true");
    // The next thing to check is the code the form now holds; the checklist announces itself (#checklist-status).
    field.focus();
  });
})();
