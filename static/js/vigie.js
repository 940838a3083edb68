// Vigie's small client script: behaviour that htmx attributes cannot express.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    // A form marked data-swap-invalid gets its refusal (422) swapped in like a success: the
    // fragment brings back the message and what the user typed and chose.
    var config = event.detail.requestConfig;
    var elt = config && config.elt;
    if (event.detail.xhr && event.detail.xhr.status === 422 && elt && elt.closest &&
        elt.closest("[data-swap-invalid]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    // htmx does not swap 4xx/5xx: show the server's message instead of failing silently.
    var target = document.getElementById("htmx-error");
    if (target && event.detail.xhr) {
      target.textContent = event.detail.xhr.status === 0 ? "Serveur injoignable." : "";
      target.insertAdjacentHTML("beforeend", event.detail.xhr.responseText || "");
    }
  });
  // Tables marked "sortable": a click on a column head sorts the rows by that column's
  // data-sort values (numbers), again to reverse. Delegated: works on htmx-swapped tables.
  document.addEventListener("click", function (event) {
    var head = event.target.closest && event.target.closest("table.sortable thead th");
    if (!head) return;
    var table = head.closest("table");
    var column = Array.prototype.indexOf.call(head.parentNode.children, head);
    var body = table.tBodies[0];
    var descending = head.getAttribute("aria-sort") !== "descending";
    Array.prototype.forEach.call(head.parentNode.children, function (th) { th.removeAttribute("aria-sort"); });
    head.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var rows = Array.prototype.slice.call(body.rows);
    function key(row) {
      var cell = row.cells[column];
      var raw = cell && cell.getAttribute("data-sort");
      return raw === null || raw === undefined ? (cell ? cell.textContent.trim() : "") : parseFloat(raw);
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "fr");
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
})();
