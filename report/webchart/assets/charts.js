// Draws the ECharts charts of a page: each <script type="application/json"
// data-echarts-for="id"> holds the options of the element with that id.
// The options are data, parsed, never run.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("script[data-echarts-for]").forEach(function (data) {
    var el = document.getElementById(data.dataset.echartsFor);
    if (el) {
      echarts.init(el, "white", { renderer: "canvas" }).setOption(JSON.parse(data.textContent));
    }
  });
});
