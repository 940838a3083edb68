// Playbook and canned-reply editors: behaviour htmx attributes cannot express (no inline JS: CSP).
(function () {
  "use strict";

  // Playbook editor: keep the line-number gutter scrolled with the text.
  function syncGutter() {
    var source = document.getElementById("pb-source");
    var gutter = document.getElementById("pb-gutter");
    if (source && gutter) { gutter.scrollTop = source.scrollTop; }
  }

  // Put the caret on a line (and column) of the playbook text, and scroll it into view.
  function gotoLine(line, column) {
    var source = document.getElementById("pb-source");
    if (!source) { return; }
    var lines = source.value.split("\n");
    var offset = 0;
    for (var i = 0; i < Math.min(line - 1, lines.length); i++) { offset += lines[i].length + 1; }
    var lineText = lines[line - 1] || "";
    var start = offset + Math.max(0, Math.min((column || 1) - 1, lineText.length));
    source.focus();
    source.setSelectionRange(start, offset + lineText.length);
    var lineHeight = parseFloat(getComputedStyle(source).lineHeight) || 18;
    source.scrollTop = Math.max(0, (line - 4) * lineHeight);
    syncGutter();
  }

  function markInvalid() {
    var box = document.getElementById("pb-validation");
    var source = document.getElementById("pb-source");
    if (box && source) {
      source.setAttribute("aria-invalid", box.dataset.errors !== "0" ? "true" : "false");
    }
  }

  // Canned-reply editor: apply a proofreading suggestion to the body, then re-check it.
  function applySuggestion(button) {
    var body = document.getElementById("cr-body");
    if (!body) { return; }
    var start = parseInt(button.dataset.start, 10);
    var end = parseInt(button.dataset.end, 10);
    var original = button.dataset.original;
    var text = body.value;
    if (text.slice(start, end) !== original) {
      // The text moved since the check: fix the nearest occurrence of the same word.
      var found = text.indexOf(original);
      if (found < 0) { return; }
      start = found;
      end = found + original.length;
    }
    body.value = text.slice(0, start) + button.dataset.replacement + text.slice(end);
    body.focus();
    body.setSelectionRange(start, start + button.dataset.replacement.length);
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var goto = target.closest(".goto-line");
    if (goto) {
      event.preventDefault();
      gotoLine(parseInt(goto.dataset.line, 10), parseInt(goto.dataset.column, 10));
      return;
    }
    var suggestion = target.closest("button.suggestion");
    if (suggestion && document.getElementById("cr-body")) {
      event.preventDefault();
      if (event.detail === 0) { applySuggestion(suggestion); }  // keyboard: Enter or Space
      return;  // a pointer's press applied it already (mousedown below)
    }
    var confirmer = target.closest("button[data-confirm]");
    if (confirmer && !window.confirm(confirmer.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // The reply's text is checked on input; its `change` (sent when it loses the focus, to a
  // suggestion or the next field) would check the same text again, and the answer replaced the
  // review under the button being pressed or focused. Stopped before the form's listener.
  document.addEventListener("change", function (event) {
    if (event.target instanceof Element && event.target.id === "cr-body") {
      event.stopPropagation();
    }
  }, true);

  // A suggestion is applied when pressed, not on click: the press would first blur the body,
  // whose `change` sends a check whose answer may replace the review between press and release,
  // and the click then reaches no button (the fix was lost under a slow server). Kept from
  // taking the focus, the body does not blur: one check follows the fix, none precedes it.
  document.addEventListener("mousedown", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var suggestion = target ? target.closest("button.suggestion") : null;
    if (suggestion && event.button === 0 && document.getElementById("cr-body")) {
      event.preventDefault();
      applySuggestion(suggestion);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });

  document.addEventListener("keydown", function (event) {
    // Tab indents YAML (two spaces) instead of leaving the editor; Esc then Tab still leaves.
    var source = event.target;
    if (event.key !== "Tab" || event.shiftKey || !(source instanceof HTMLTextAreaElement) ||
        source.id !== "pb-source" || source.dataset.tabOut === "1") { return; }
    event.preventDefault();
    var start = source.selectionStart;
    source.setRangeText("  ", start, source.selectionEnd, "end");
    source.dispatchEvent(new Event("input", { bubbles: true }));
  });
  document.addEventListener("keyup", function (event) {
    var source = event.target;
    if (source instanceof HTMLTextAreaElement && source.id === "pb-source") {
      source.dataset.tabOut = event.key === "Escape" ? "1" : "";
    }
  });

  document.addEventListener("scroll", function (event) {
    if (event.target instanceof Element && event.target.id === "pb-source") { syncGutter(); }
  }, true);
  document.addEventListener("htmx:afterSettle", function () { syncGutter(); markInvalid(); });
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("js");
    syncGutter();
    markInvalid();
  });
})();
