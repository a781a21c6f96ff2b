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
      queue.forEach(function (args) { window.Plotly.newPlot.apply(window.Plotly, themed(args)); });
      queue = [];
      document.documentElement.dataset.chartsReady = "1";
    };
    document.head.appendChild(script);
  }
  // The charts are drawn in the light palette (counterpoint/palette.py); on a dark page
  // each of those colours becomes its dark-mode variable, so people, paper and ink follow the page.
  var LIGHT = {
    "#3d3a8c": "--a", "#97391f": "--b", "#ffffff": "--card", "#1f1d2b": "--ink",
    "#5a5870": "--muted", "#eeeaf2": "--line",
  };
  function recolour(value, css) {
    if (typeof value === "string") {
      var name = LIGHT[value.toLowerCase()];
      return name ? css.getPropertyValue(name).trim() || value : value;
    }
    if (Array.isArray(value)) return value.map(function (v) { return recolour(v, css); });
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (key) { out[key] = recolour(value[key], css); });
      return out;
    }
    return value;
  }
  function themed(args) {
    if (!window.matchMedia || !window.matchMedia("(prefers-color-scheme: dark)").matches) return args;
    var css = window.getComputedStyle(document.documentElement);
    var copy = Array.prototype.slice.call(args);
    copy[1] = recolour(copy[1], css);
    var layout = recolour(copy[2] || {}, css);
    ["xaxis", "yaxis"].forEach(function (axis) {
      layout[axis] = Object.assign({ gridcolor: css.getPropertyValue("--line").trim() }, layout[axis] || {});
    });
    copy[2] = layout;
    return copy;
  }
  if (document.readyState === "complete") fetchPlotly();
  else window.addEventListener("load", fetchPlotly);
})();
