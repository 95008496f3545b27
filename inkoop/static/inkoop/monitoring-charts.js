// The monitoring report's charts. Data come from a JSON block (json_script), never from inline script (CSP); every
// chart has a table with the same figures on the page.
(function () {
  "use strict";
  var source = document.getElementById("monitoring-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function bar(id, labels, label, values, colour) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: label, data: values.map(Number), backgroundColor: colour }] },
      options: { animation: false, responsive: true, plugins: { legend: { position: "bottom" } } }
    });
  }
  bar("chart-per-1000", data.members, data.labels.per_1000, data.per_1000, "#01689b");
  bar("chart-overlap", data.members, data.labels.overlap, data.overlap, "#8fcae7");
  bar("chart-kinds", data.kinds, data.labels.kind_cost, data.kind_cost, "#154273");
})();
