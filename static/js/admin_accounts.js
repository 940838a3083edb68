// Connect-an-account form: show only the credential fields of the chosen platform.
// Without JavaScript every platform's fieldset stays visible; the server reads only the
// chosen platform's fields.
(function () {
  "use strict";
  const select = document.getElementById("platform");
  if (!select) return;
  const sets = document.querySelectorAll("fieldset.credentials[data-platform]");
  function sync() {
    sets.forEach(function (set) {
      set.hidden = set.dataset.platform !== select.value;
    });
  }
  select.addEventListener("change", sync);
  sync();
})();
