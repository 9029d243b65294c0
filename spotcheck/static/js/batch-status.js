// While a batch is being drawn, poll its status and reload when the draw has finished, or when
// its job stopped or stalled (or was resumed), so the page offers or drops 继续抽取.
(function () {
  const box = document.getElementById("batch");
  if (!box || box.dataset.status !== "drawing") return;
  const tick = async () => {
    const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
    if (response.ok) {
      const now = await response.json();
      if (now.status !== "drawing" || String(now.stalled) !== box.dataset.stalled) { window.location.reload(); return; }
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();
