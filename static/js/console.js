// The console's keyboard and live details: j/k/Enter/a/r/e/?, SLA countdowns, tab count,
// one-click proofreading fixes. No inline scripts (CSP); htmx does the requests.
(function () {
  "use strict";

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.queue-row")); }
  function selected() { return document.querySelector("tr.queue-row.selected"); }
  var selectedId = null;

  function select(row) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); });
    if (!row) { return; }
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    selectedId = row.getAttribute("data-case-id");
    var link = row.querySelector("a.case-link");
    if (link) { link.focus({ preventScroll: true }); }
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var index = all.indexOf(selected());
    index = index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[index]);
  }

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function openHelp() {
    var dialog = document.getElementById("console-help");
    if (dialog && !dialog.open) { dialog.showModal(); }
  }

  function onCasePage(key) {
    var page = document.querySelector("[data-case-page]");
    if (!page) { return false; }
    if (key === "r") {
      var text = document.getElementById("reply-text");
      if (text) { text.focus(); return true; }
    } else if (key === "e") {
      var reason = document.getElementById("esc-reason");
      if (reason) { reason.focus(); return true; }
    } else if (key === "a") {
      var claim = document.querySelector("#claim-panel [data-claim]");
      if (claim) { claim.click(); return true; }
    } else if (/^[1-9]$/.test(key)) {
      var canned = document.querySelectorAll(".suggestions a")[parseInt(key, 10) - 1];
      if (canned) { canned.click(); return true; }
    } else if (key === "q") {
      var back = document.querySelector("[data-back-to-queue]");
      if (back) { window.location.href = back.getAttribute("href"); return true; }
    }
    return false;
  }

  // Ctrl+Enter (⌘+Enter) in the reply sends it, or submits it for approval: the one action
  // the delegation allows is the only submit button the editor shows.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) { return; }
    var text = event.target;
    if (!text || text.id !== "reply-text") { return; }
    var button = document.querySelector("#editor [data-send]");
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var key = event.key;
    if (key === "?") { openHelp(); event.preventDefault(); return; }
    if (onCasePage(key)) { event.preventDefault(); return; }
    var row = selected();
    if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if (key === "/") { var q = document.getElementById("f-q"); if (q) { q.focus(); } }
    else if (key === "Enter" && row) { window.location.href = row.getAttribute("data-case-url"); }
    else if (key === "a" && row) { var b = row.querySelector("[data-claim]"); if (b) { b.click(); } }
    else if (key === "r" && row) { window.location.href = row.getAttribute("data-case-url") + "#reply"; }
    else if (key === "e" && row) { window.location.href = row.getAttribute("data-case-url") + "#escalate"; }
    else { return; }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var help = event.target.closest("[data-console-help]");
    if (help) { openHelp(); return; }
    var row = event.target.closest("tr.queue-row");
    if (row && !event.target.closest("a, button")) { select(row); }
    var fix = event.target.closest("button.suggestion");
    if (fix && event.detail === 0) { applySuggestion(fix); }  // keyboard: Enter or Space
  });

  // A fix is applied when pressed, the draft keeping the focus (as in editor.js): the check of
  // the last keystrokes may replace the findings between press and release, and the click then
  // reaches no button.
  document.addEventListener("mousedown", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var fix = target && event.button === 0 ? target.closest("button.suggestion") : null;
    if (fix && document.getElementById("reply-text")) {
      event.preventDefault();
      applySuggestion(fix);
    }
  });

  // A proofreading fix replaces the flagged words in the draft, then proofreads again.
  function applySuggestion(button) {
    var text = document.getElementById("reply-text");
    if (!text) { return; }
    var start = parseInt(button.getAttribute("data-start"), 10);
    var end = parseInt(button.getAttribute("data-end"), 10);
    var original = button.getAttribute("data-original");
    if (text.value.slice(start, end) !== original) { return; }  // the draft changed since
    text.value = text.value.slice(0, start) + button.getAttribute("data-replacement") + text.value.slice(end);
    text.focus();
    if (window.htmx) { window.htmx.trigger(text, "keyup"); }
  }

  // SLA countdowns: refreshed every 30 s so the colour follows the deadline.
  // Wording comes from the page (<body data-sla-left="reste %s" data-sla-over="…">): the UI
  // language is the server's choice.
  function minutesLabel(ms) {
    var minutes = Math.round(Math.abs(ms) / 60000);
    var text = minutes >= 120 ? Math.round(minutes / 60) + " h" : minutes + " min";
    var body = document.body;
    var pattern = ms < 0 ? body.getAttribute("data-sla-over") : body.getAttribute("data-sla-left");
    return (pattern || "%s").replace("%s", text);
  }
  function refreshCountdowns() {
    var now = Date.now();
    document.querySelectorAll("time[data-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-due")) - now;
      if (isNaN(left)) { return; }
      var state = left <= 0 ? "bad" : (left <= 30 * 60000 ? "warn" : "ok");
      el.classList.remove("sla-ok", "sla-warn", "sla-bad");
      el.classList.add("sla-" + state);
      el.textContent = minutesLabel(left);
      var row = el.closest("tr.queue-row");
      if (row) { row.classList.remove("sla-ok", "sla-warn", "sla-bad"); row.classList.add("sla-" + state); }
    });
  }

  // The tab title carries the count so a CM sees new work from another tab.
  function refreshTitle() {
    var count = document.getElementById("queue-count");
    if (!count) { return; }
    var n = count.getAttribute("data-count");
    document.title = document.title.replace(/^\(\d+\) /, "");
    if (n && n !== "0") { document.title = "(" + n + ") " + document.title; }
  }

  document.addEventListener("htmx:afterSettle", function () {
    refreshCountdowns();
    refreshTitle();
    if (selectedId) {
      var row = document.getElementById("case-row-" + selectedId);
      if (row && !row.classList.contains("selected")) { select(row); }
    }
  });

  // Once further pages are shown, the 10 s poll (which reloads the first page) would drop
  // them: pause it and say so, until the user reloads.
  document.addEventListener("htmx:afterSwap", function (event) {
    var config = event.detail.requestConfig;
    if (!config || !config.path) { return; }
    var extended = config.path.indexOf("after=") !== -1;
    var rows = document.getElementById("queue-rows");
    var notice = document.getElementById("queue-paused");
    if (extended && rows) { rows.setAttribute("data-extended", "1"); }
    if (notice && (extended || event.detail.target.id === "queue-rows")) { notice.hidden = !extended; }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id === "queue-rows" && elt.getAttribute("data-extended") === "1") {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    refreshCountdowns();
    refreshTitle();
    setInterval(refreshCountdowns, 30000);
    if (window.location.hash === "#reply") { var t = document.getElementById("reply-text"); if (t) { t.focus(); } }
    if (window.location.hash === "#escalate") { var r = document.getElementById("esc-reason"); if (r) { r.focus(); } }
  });
})();
