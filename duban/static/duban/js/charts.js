// Bar charts drawn with ECharts from the data a page writes into <script type="application/json">
// (no inline script): <div class="chart" data-chart="id-of-the-json"></div>. The JSON holds
// {"labels": [...], "series": [{"name": "...", "values": [...]}]}; optionally "stacked": true (bars
// stacked), "horizontal": true (bars along the y axis, for long unit names), and per series "type":
// "line", "color" and "links" (one address per value: clicking the bar opens the list behind it).
(function () {
  "use strict";
  function draw(box) {
    var source = document.getElementById(box.dataset.chart);
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (data.horizontal) { box.style.height = Math.max(240, data.labels.length * 24 + 72) + "px"; }
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    var categories = { type: "category", data: data.labels, inverse: !!data.horizontal,
      axisLabel: { interval: 0, rotate: !data.horizontal && data.labels.length > 6 ? 30 : 0 } };
    var values = { type: "value", minInterval: 1 };
    var ink = data.dark ? { color: "#e8eef5", fontSize: 14 } : {};
    categories.axisLabel = Object.assign(categories.axisLabel, ink);
    values.axisLabel = ink;
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: ink },
      grid: { left: data.horizontal ? 8 : 48, right: 16, top: 32, bottom: 40, containLabel: !!data.horizontal },
      xAxis: data.horizontal ? values : categories,
      yAxis: data.horizontal ? categories : values,
      series: data.series.map(function (s) {
        return { name: s.name, type: s.type || "bar", data: s.values, stack: data.stacked ? "all" : undefined,
                 itemStyle: s.color ? { color: s.color } : undefined };
      })
    });
    chart.on("click", function (p) {
      var links = (data.series[p.seriesIndex] || {}).links;
      if (links && links[p.dataIndex]) { window.location.href = links[p.dataIndex]; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart[data-chart]").forEach(draw);
  });
})();
