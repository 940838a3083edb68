// Vigie's small client script: behaviour that htmx attributes cannot express.
(function () {
  "use strict";
  document.addEventListener("htmx:responseError", function (event) {
    // htmx does not swap 4xx/5xx: show the server's message instead of failing silently.
    var target = document.getElementById("htmx-error");
    if (target && event.detail.xhr) {
      target.textContent = event.detail.xhr.status === 0 ? "Serveur injoignable." : "";
      target.insertAdjacentHTML("beforeend", event.detail.xhr.responseText || "");
    }
  });
})();
