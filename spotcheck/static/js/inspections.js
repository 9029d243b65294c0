// Field pages: ask before final steps, and refuse an oversized evidence file before it is sent
// over a phone connection (the server checks again, by content).
(function () {
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      const file = input.files[0];
      const tooBig = file && file.size > Number(input.dataset.maxBytes);
      input.setCustomValidity(tooBig ? input.dataset.tooBig : "");
      if (tooBig) input.reportValidity();
    });
  });
})();
