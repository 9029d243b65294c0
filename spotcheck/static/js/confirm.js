// Irreversible steps ask first, saying what cannot be undone (data-confirm on the button).
(function () {
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
})();

// A form that must be sent once (data-submit-once: the first print of a notice issues the PIN):
// a second click while the first is on its way would cancel the download that carries it.
(function () {
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-submit-once]")) return;
    if (form.dataset.submitted) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
  });
})();
