// Draws each chart from the Vega-Lite specification the server put in the page.
(function () {
  "use strict";
  document.querySelectorAll("[data-spec]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-spec"));
    if (!source || typeof window.vegaEmbed !== "function") { return; }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(element, spec, { actions: false, renderer: "svg" }).catch(function (error) {
      element.textContent = element.getAttribute("aria-label");
      console.warn("chart could not be drawn", error);
    });
  });
})();
