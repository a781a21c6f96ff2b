// Charts without a heavy first view: the words and tables show at once; plotly.min.js (one
// hashed, compressed, cached-forever file) is fetched only after the page has loaded, and the
// charts queued until then are drawn when it arrives.
(function () {
  "use strict";
  var src = document.currentScript && document.currentScript.dataset.plotly;
  var queue = [];
  window.Plotly = {
    newPlot: function () { queue.push(arguments); return Promise.resolve(); },
  };
  function fetchPlotly() {
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () {
      queue.forEach(function (args) { window.Plotly.newPlot.apply(window.Plotly, args); });
      queue = [];
      document.documentElement.dataset.chartsReady = "1";
    };
    document.head.appendChild(script);
  }
  if (document.readyState === "complete") fetchPlotly();
  else window.addEventListener("load", fetchPlotly);
})();
