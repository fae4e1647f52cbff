// The dashboard's last half hour of readers: drawn again every 15 seconds
// while the page is visible (the count above it moves with every change).
(function () {
  "use strict";

  const boxes = () => document.querySelectorAll("[data-now-chart] .chart-box");
  if (boxes().length === 0) return;

  function refresh() {
    if (document.visibilityState !== "visible") return;
    fetch("/admin/stats/now", { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((svg) => {
        for (const box of boxes()) {
          // Keep the bar that has keyboard focus focused across a redraw.
          const focused = box.contains(document.activeElement)
            ? [...box.querySelectorAll("[tabindex]")].indexOf(document.activeElement)
            : -1;
          box.innerHTML = svg;
          if (focused >= 0) box.querySelectorAll("[tabindex]")[focused]?.focus();
        }
      })
      .catch(() => {});
  }
  setInterval(refresh, 15000);
  document.addEventListener("visibilitychange", refresh);
})();
