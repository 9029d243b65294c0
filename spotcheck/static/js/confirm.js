// Irreversible steps ask first, saying what cannot be undone (data-confirm on the button).
(function () {
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
})();
