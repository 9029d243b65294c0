// Draws the dashboard's charts from the numbers in #stats-charts; a click on a bar opens the
// records behind it. The tables beside each chart carry the same figures (print, screen readers).
(function () {
  const source = document.getElementById("stats-charts");
  if (!source || typeof echarts === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    const data = charts[box.dataset.chart];
    if (!data || !data.values.length) { box.hidden = true; return; }
    const chart = echarts.init(box, null, { renderer: "svg" });
    const horizontal = data.labels.length > 6;
    const names = { type: "category", data: data.labels, axisLabel: { interval: 0 } };
    const counts = { type: "value", minInterval: 1 };
    chart.setOption({
      animation: false,
      grid: { containLabel: true, left: 8, right: 24, top: 16, bottom: 8 },
      tooltip: {},
      xAxis: horizontal ? counts : names,
      yAxis: horizontal ? Object.assign({ inverse: true }, names) : counts,
      series: [{ type: "bar", data: data.values, label: { show: true, position: horizontal ? "right" : "top" } }],
    });
    chart.on("click", function (params) { window.location.href = data.links[params.dataIndex]; });
    drawn.push(chart);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { drawn.forEach(function (c) { c.resize(); }); });
  document.querySelectorAll(".print-page").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
})();
