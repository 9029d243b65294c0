// Polls the job's progress and reloads the page when the job has finished (or its preview).
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const finished = (s) => s === "done" || s === "failed" || s === "previewed";
  if (finished(box.dataset.status)) return;
  const tick = async () => {
    const response = await fetch(box.dataset.progressUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    document.getElementById("job-bar").value = data.percent;
    document.getElementById("job-percent").textContent = data.percent;
    document.getElementById("job-rows").textContent = data.rows;
    if (finished(data.status)) { window.location.reload(); return; }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 500);
})();
