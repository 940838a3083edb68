// Urgent alerts: a browser notification for each new item of the urgent banner (when the user
// allowed it), and the button that asks for that permission. The banner itself is htmx.
(function () {
  "use strict";
  var SEEN_KEY = "vigie-alerts-notified";

  function supported() {
    return "Notification" in window;
  }

  function seen() {
    try {
      return JSON.parse(window.localStorage.getItem(SEEN_KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  function remember(ids) {
    try {
      window.localStorage.setItem(SEEN_KEY, JSON.stringify(ids.slice(-200)));
    } catch (e) {
      /* private mode: notify again on the next page, no harm done */
    }
  }

  function notifyNew(banner) {
    if (!supported() || Notification.permission !== "granted") {
      return;
    }
    var already = seen();
    banner.querySelectorAll("[data-alert-id]").forEach(function (item) {
      var id = item.getAttribute("data-alert-id");
      if (already.indexOf(id) !== -1) {
        return;
      }
      already.push(id);
      var note = new Notification(item.getAttribute("data-alert-title") || "Vigie", {
        body: item.getAttribute("data-alert-body") || "",
        tag: "vigie-alert-" + id,
        requireInteraction: true,
      });
      note.onclick = function () {
        window.focus();
        window.location.href = item.getAttribute("data-alert-link");
      };
    });
    remember(already);
  }

  function showPermissionButton() {
    var button = document.querySelector("[data-notify-permission]");
    if (!button) {
      return;
    }
    button.hidden = !supported() || Notification.permission !== "default";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-notify-permission]");
    if (!button || !supported()) {
      return;
    }
    Notification.requestPermission().then(function () {
      showPermissionButton();
      var banner = document.getElementById("urgent-banner");
      if (banner) {
        notifyNew(banner);
      }
    });
  });

  document.addEventListener("htmx:afterSettle", function () {
    // Any swap may have been the banner's poll; the seen list keeps each alert to one notice.
    var banner = document.getElementById("urgent-banner");
    if (banner) {
      notifyNew(banner);
    }
  });

  document.addEventListener("DOMContentLoaded", showPermissionButton);
})();
