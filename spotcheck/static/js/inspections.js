// Field pages: refuse an oversized evidence file before it is sent over a phone connection
// (the server checks again, by content). Confirmations are in confirm.js, on every page.
(function () {
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      const file = input.files[0];
      const tooBig = file && file.size > Number(input.dataset.maxBytes);
      input.setCustomValidity(tooBig ? input.dataset.tooBig : "");
      if (tooBig) input.reportValidity();
    });
  });
})();
