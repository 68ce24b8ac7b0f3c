// Submission form: show the change against last period while the user types.
// Reads the same notations the server accepts (▲, full-width digits, commas, 千/万/億); the server checks again.
(function () {
  "use strict";
  var SCALE = { "千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "億": 1e8, "兆": 1e12 };
  function parse(text) {
    var t = (text || "").normalize("NFKC").replace(/[,\s]/g, "").replace(/[%]$/, "");
    if (!t) { return null; }
    var negative = /^[▲△\-−‐―－]/.test(t);
    t = t.replace(/^[▲△\-−‐―－+]/, "");
    var total = 0, rest = t, m;
    var pattern = /^(\d+(?:\.\d+)?)(千万|百万|兆|億|万|千)/;
    while ((m = pattern.exec(rest)) !== null) {
      total += parseFloat(m[1]) * SCALE[m[2]];
      rest = rest.slice(m[0].length);
    }
    if (rest) {
      if (!/^\d+(?:\.\d+)?$/.test(rest)) { return null; }
      total += parseFloat(rest);
    }
    return negative ? -total : total;
  }
  var ja = document.documentElement.lang !== "en";
  function signed(number, decimals) {
    // half up (四捨五入) away from zero, like the server; the tiny factor absorbs float error (1.25 → 1.2499…);
    // decimals null: the exact difference (float noise beyond 6 places dropped), with thousands separators
    var scale = Math.pow(10, decimals === null ? 6 : decimals);
    var rounded = Math.round(Math.abs(number) * scale * (1 + 1e-12)) / scale;
    var text = decimals === null ? rounded.toLocaleString("en-US", { maximumFractionDigits: 6 }) : rounded.toFixed(decimals);
    if (number < 0 && rounded > 0) { return (ja ? "▲" : "−") + text; }
    return "+" + text;
  }
  // shares change in points (51.1 → 67.0 is +15.9ポイント); other figures in % and absolute: +25.0%（+40）
  function describe(value, previous, points) {
    var difference = value - previous;
    if (points) { return signed(difference, 1) + (ja ? "ポイント" : " pt"); }
    var absolute = signed(difference, null);
    if (previous === 0) { return absolute; }
    var percent = signed(difference / Math.abs(previous) * 100, 1) + "%";
    return ja ? percent + "（" + absolute + "）" : percent + " (" + absolute + ")";
  }
  function update(input) {
    var row = input.closest("tr");
    var previousCell = row.querySelector("[data-previous]");
    var out = row.querySelector(".live-change");
    var previous = parseFloat(previousCell.getAttribute("data-previous"));
    var value = parse(input.value);
    var points = previousCell.hasAttribute("data-points");
    out.textContent = (value === null || !isFinite(previous)) ? "" : describe(value, previous, points);
  }
  document.querySelectorAll(".value-input").forEach(function (input) {
    input.addEventListener("input", function () { update(input); });
  });
})();
