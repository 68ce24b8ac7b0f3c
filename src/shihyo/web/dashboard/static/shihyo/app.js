// Draws each chart from the Vega-Lite specification the server put in the page.
(function () {
  "use strict";
  document.querySelectorAll("[data-spec]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-spec"));
    if (!source || typeof window.vegaEmbed !== "function") { return; }
    var spec = JSON.parse(source.textContent);
    // keep legends inside narrow screens: shorter labels, one entry per line
    var legend = (spec.config = spec.config || {}).legend = spec.config.legend || {};
    var narrow = element.clientWidth < 600;
    legend.columns = 1;
    legend.labelLimit = Math.max(100, narrow ? element.clientWidth * 0.5 : element.clientWidth - 160);
    var title = spec.config.title = spec.config.title || {};
    title.limit = element.clientWidth - 24;
    if (narrow && spec.title && typeof spec.title === "object") { spec.title.fontSize = 13; }
    // ast + the interpreter: no code generated at run time, so the Content-Security-Policy needs no
    // 'unsafe-eval'; no default styles: vega-embed's and vega-tooltip's rules are in app.css
    var options = {
      actions: false, renderer: "svg", ast: true, defaultStyle: false,
      tooltip: { disableDefaultStyle: true }
    };
    window.vegaEmbed(element, spec, options).catch(function (error) {
      element.textContent = element.getAttribute("aria-label");
      console.warn("chart could not be drawn", error);
    });
  });
})();
