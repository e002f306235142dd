// The report's only script (allowed by hash in its Content-Security-Policy): a tooltip on the
// map and cluster filtering from the legend. The page reads the same with scripts off.
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
  document.body.setAttribute("data-report-ready", "1");
}());
