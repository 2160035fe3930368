// Draws a course chart with plotly.js where scripts run (JupyterLab after running a cell, or a trusted saved
// notebook); everywhere else the picture in the box stays. plotly.js comes from the npm registry at set-up and
// JupyterLab serves it from the course's labextensions folder: no CDN, loaded once per page.
(function (figure) {
  var script = document.currentScript;
  var box = script && script.previousElementSibling;
  var config = document.getElementById('jupyter-config-data');
  if (!box || (!window.Plotly && !config)) {
    return; // not in JupyterLab (a static page, GitHub, nbviewer): keep the picture
  }
  function draw() {
    var plot = document.createElement('div');
    plot.className = 'effconv-plotly';
    window.Plotly.newPlot(plot, figure.data, figure.layout, {displaylogo: false}).then(function () {
      box.replaceChildren(plot);
    });
  }
  if (window.Plotly) {
    draw();
    return;
  }
  if (!window.effconvPlotly) {
    window.effconvPlotly = new Promise(function (resolve, reject) {
      var url = (JSON.parse(config.textContent).baseUrl || '/')
        + 'lab/extensions/effconv-plotly/static/plotly.min.js?v=2.35.3';
      if (typeof window.define === 'function' && window.define.amd && typeof window.require === 'function') {
        // under RequireJS the bundle registers as a module instead of setting window.Plotly
        window.require([url], function (plotly) { window.Plotly = plotly; resolve(); }, reject);
        return;
      }
      var tag = document.createElement('script');
      tag.src = url;
      tag.onload = function () { resolve(); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }
  window.effconvPlotly.then(draw, function () { /* plotly.js not served here: keep the picture */ });
})
