// The report's only script (allowed by hash in its Content-Security-Policy): a tooltip on the
// map, cluster filtering from the legend and the articles' search. The page reads the same with
// scripts off.
(function () {
  "use strict";
  var svg = document.getElementById("map-svg");
  var tip = document.getElementById("tooltip");
  if (!svg || !tip) { return; }
  var wrap = svg.parentNode;
  svg.addEventListener("mousemove", function (event) {
    var target = event.target;
    if (target.tagName !== "circle") { tip.hidden = true; return; }
    var title = target.querySelector("title");
    tip.textContent = (title ? title.textContent : "") + "  [cluster " + target.getAttribute("data-cluster") + "]";
    var box = wrap.getBoundingClientRect();
    tip.style.left = Math.min(event.clientX - box.left + 12, box.width - 200) + "px";
    tip.style.top = (event.clientY - box.top + 12) + "px";
    tip.hidden = false;
  });
  svg.addEventListener("mouseleave", function () { tip.hidden = true; });
  var shown = null;
  var buttons = document.querySelectorAll("#legend button");
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      var cluster = button.getAttribute("data-cluster");
      shown = shown === cluster ? null : cluster;
      Array.prototype.forEach.call(svg.querySelectorAll("circle"), function (dot) {
        dot.classList.toggle("dim", shown !== null && dot.getAttribute("data-cluster") !== shown);
      });
      Array.prototype.forEach.call(buttons, function (other) {
        other.classList.toggle("active", other.getAttribute("data-cluster") === shown);
      });
    });
  });
  // The articles table: rows that do not hold the typed words are hidden.
  var search = document.getElementById("article-search");
  var rows = document.querySelectorAll("#article-table tbody tr");
  var count = document.getElementById("article-count");
  if (search) {
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var text = row.getAttribute("data-search") || "";  // title, id, source, date: not the neighbours
        var match = words.every(function (word) { return text.indexOf(word) >= 0; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " articles";
    });
  }
  document.body.setAttribute("data-report-ready", "1");
}());
