// "Copier la réponse": copy a reply the channel cannot send, for a person to publish it.
(function () {
  "use strict";
  function fallback(source) {
    // Without the async clipboard (plain http): select the text and use the old command.
    source.focus();
    source.select();
    try {
      return document.execCommand("copy");
    } catch (err) {
      return false;
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy-target]") : null;
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) {
      return;
    }
    var label = button.textContent;
    function done() {
      button.textContent = button.getAttribute("data-copied") || label;
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(done, function () {
        if (fallback(source)) { done(); }
      });
    } else if (fallback(source)) {
      done();
    }
  });
})();
