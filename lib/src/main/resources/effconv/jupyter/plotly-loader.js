// Draws a course chart with plotly.js where scripts run (JupyterLab after running a cell, or a trusted saved
// notebook); everywhere else the picture in the box stays. plotly.js comes from the npm registry at set-up and
// JupyterLab serves it from the course's labextensions folder: no CDN, loaded once per page. `figures` holds one
// plotly figure, or several panels shown side by side under `title`.
(function (figures, title) {
  var script = document.currentScript;
  var box = script && script.previousElementSibling;
  var config = document.getElementById('jupyter-config-data');
  if (!box || (!window.Plotly && !config)) {
    return; // not in JupyterLab (a static page, GitHub, nbviewer): keep the picture
  }
  function draw() {
    var plots = figures.map(function (figure) {
      var plot = document.createElement('div');
      plot.className = 'effconv-plotly';
      return {div: plot, drawn: window.Plotly.newPlot(plot, figure.data, figure.layout, {displaylogo: false})};
    });
    Promise.all(plots.map(function (p) { return p.drawn; })).then(function () {
      if (plots.length === 1 && title === null) {
        box.replaceChildren(plots[0].div);
        return;
      }
      var heading = document.createElement('div');
      heading.style.cssText = 'font:bold 15px sans-serif;text-align:center;margin:6px 0';
      heading.textContent = title || '';
      var row = document.createElement('div');
      row.style.cssText = 'display:flex;flex-wrap:wrap;align-items:flex-start';
      plots.forEach(function (p) { row.appendChild(p.div); });
      box.replaceChildren(heading, row);
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
