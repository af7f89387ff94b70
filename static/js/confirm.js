// A form with data-confirm asks before it is sent (removing an attachment): the question is the attribute's text,
// already translated by the page. Without JavaScript the form is sent as it is; the server still checks everything.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
