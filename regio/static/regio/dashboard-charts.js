// The dashboards' charts (issue 18), drawn from the JSON endpoint /api/v1/dashboard/: the same figures as the
// tables on the page, which are the charts' text alternative. No inline script (CSP); amounts arrive as strings.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-source");
  if (!source || typeof Chart === "undefined" || !window.fetch) { return; }
  var colours = ["#01689b", "#8fcae7", "#154273", "#e17000", "#39870c", "#a90061"];
  var numeric = { money: true, count: true, percent: true };
  fetch(source.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      data.figures.forEach(function (figure) {
        var canvas = document.querySelector('canvas[data-figure="' + figure.key + '"]');
        if (!canvas || !figure.chart) { return; }
        var datasets = [];
        figure.columns.forEach(function (column, i) {
          if (i === 0 || !numeric[column.kind]) { return; }
          if (figure.series && figure.series.length && figure.series.indexOf(i) < 0) { return; }
          datasets.push({
            label: column.label,
            data: figure.rows.map(function (row) { return row[i] === null ? null : Number(row[i]); }),
            backgroundColor: colours[datasets.length % colours.length],
            borderColor: colours[datasets.length % colours.length]
          });
        });
        new Chart(canvas, {
          type: figure.chart,
          data: { labels: figure.rows.map(function (row) { return row[0]; }), datasets: datasets },
          options: { animation: false, responsive: true, plugins: { legend: { position: "bottom" } } }
        });
      });
    });
})();
