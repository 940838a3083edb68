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
})();
