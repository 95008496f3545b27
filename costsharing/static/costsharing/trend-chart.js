// The portfolio holder's trend chart. Data come from a JSON block (json_script), never from inline script (CSP).
(function () {
  "use strict";
  var source = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.share_label, data: data.shares.map(Number), backgroundColor: "#01689b" },
        { label: data.advances_label, data: data.advances.map(Number), backgroundColor: "#8fcae7" }
      ]
    },
    options: { animation: false, responsive: true, plugins: { legend: { position: "bottom" } } }
  });
})();
