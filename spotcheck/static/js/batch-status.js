// While a batch is being drawn, poll its status and reload when the draw has finished.
(function () {
  const box = document.getElementById("batch");
  if (!box || box.dataset.status !== "drawing") return;
  const tick = async () => {
    const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
    if (response.ok && (await response.json()).status !== "drawing") { window.location.reload(); return; }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();
