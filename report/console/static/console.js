// The console's script (the charts have their own): drag-and-drop upload
// with a result per file, sortable, filterable tables, and the selectors of
// month and period. The pages run no inline script: the CSP allows none.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("upload");
  if (form) {
    var input = form.querySelector("input[type=file]");
    var results = document.getElementById("results");
    var pending = 0;
    // When the last upload is answered, the list of the month's files is
    // fetched again, versions and all.
    var refresh = function () {
      if (--pending > 0) { return; }
      fetch(location.href, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("#files tbody");
          var table = document.querySelector("#files tbody");
          if (fresh && table) { table.replaceWith(fresh); }
        });
    };
    var send = function (files) {
      Array.prototype.forEach.call(files, function (file) {
        pending++;
        var li = document.createElement("li");
        li.className = "busy";
        li.textContent = file.name + "：正在上传和检查……";
        results.prepend(li);
        var body = new FormData();
        body.append("files", file, file.name);
        fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRF-Token": form.dataset.csrf, "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (list) {
            if (list.error) { li.className = "bad"; li.textContent = file.name + "：" + list.error; return; }
            var res = list[0];
            li.className = res.ok ? "ok" : "bad";
            li.textContent = "";
            var b = document.createElement("b"); b.textContent = res.file; li.appendChild(b);
            li.appendChild(document.createTextNode("：" + res.message));
            if (res.examples && res.examples.length) {
              var ul = document.createElement("ul");
              res.examples.forEach(function (x) {
                var e = document.createElement("li");
                e.textContent = "第" + x.row + "行「" + x.column + "」" + x.value + "：" + x.reason;
                ul.appendChild(e);
              });
              li.appendChild(ul);
            }
            if (res.notes && res.notes.length) {
              var notes = document.createElement("ul");
              notes.className = "notes";
              res.notes.forEach(function (n) {
                var e = document.createElement("li");
                e.textContent = "请注意：" + n;
                notes.appendChild(e);
              });
              li.appendChild(notes);
            }
          })
          .catch(function (err) { li.className = "bad"; li.textContent = file.name + "：上传失败（" + err + "）"; })
          .finally(refresh);
      });
    };
    ["dragenter", "dragover"].forEach(function (t) {
      form.addEventListener(t, function (e) { e.preventDefault(); form.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      form.addEventListener(t, function (e) { e.preventDefault(); form.classList.remove("over"); });
    });
    form.addEventListener("drop", function (e) { send(e.dataTransfer.files); });
    input.addEventListener("change", function () { send(input.files); input.value = ""; });
  }
  // A selector of what the page shows (month, period) shows it once chosen.
  document.querySelectorAll("select[data-submit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, col) {
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        table.querySelectorAll("th").forEach(function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var num = th.dataset.type === "num";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col] ? a.cells[col].textContent : "", y = b.cells[col] ? b.cells[col].textContent : "";
          var c = num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, "zh-CN");
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var filter = document.getElementById("filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.trim();
      document.querySelectorAll("#rejected tbody tr").forEach(function (tr) {
        tr.style.display = !words || tr.textContent.indexOf(words) >= 0 ? "" : "none";
      });
    });
  }
});
