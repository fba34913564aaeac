// The bell: its unread count arrives over whichever socket the page has open
// (a feed's, or /ws/notices/ on pages without one) as an out-of-band swap of
// #notice-count. When a socket (re)connects the page fetches the count, so
// nothing that came while it was away is missed. A rising count is read out
// by screen readers with what arrived ("Bob Jansen replied to your post. 2
// unread notifications": the newest unread notice's text, which the server
// renders in the page's language); the button opens the latest notifications.
(function () {
  "use strict";

  function bell() { return document.getElementById("bell"); }

  function shownCount() {
    var count = document.getElementById("notice-count");
    return count ? Number(count.dataset.count || 0) : 0;
  }

  var lastCount = null;

  function announce() {
    var count = shownCount();
    var status = document.getElementById("notice-status");
    if (lastCount !== null && count > lastCount && status) {
      var total = count === 1
        ? status.dataset.one
        : status.dataset.many.replace("{count}", count);
      var latest = document.getElementById("notice-count").dataset.latest;
      status.textContent = latest ? latest + ". " + total : total;
    }
    lastCount = count;
  }

  function menuParts() {
    var root = bell();
    if (!root) return null;
    return { button: root.querySelector("[data-bell-button]"), menu: document.getElementById("notice-menu") };
  }

  function closeMenu(focusButton) {
    var parts = menuParts();
    if (!parts || parts.menu.hidden) return;
    parts.menu.hidden = true;
    parts.button.setAttribute("aria-expanded", "false");
    if (focusButton) parts.button.focus();
  }

  function openMenu() {
    var parts = menuParts();
    htmx.ajax("GET", parts.button.dataset.menuUrl, { target: parts.menu, swap: "innerHTML" })
      .then(function () {
        parts.menu.hidden = false;
        parts.button.setAttribute("aria-expanded", "true");
        var first = parts.menu.querySelector("a, button");
        if (first) first.focus();
      });
  }

  document.addEventListener("click", function (event) {
    var parts = menuParts();
    if (!parts) return;
    if (event.target.closest("[data-bell-button]")) {
      if (parts.menu.hidden) openMenu(); else closeMenu(false);
      return;
    }
    if (!parts.menu.hidden && !event.target.closest("#notice-menu")) closeMenu(false);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenu(true);
  });

  document.addEventListener("htmx:wsOpen", function () {
    var root = bell();
    if (root) htmx.ajax("GET", root.dataset.countUrl, { source: root, swap: "none" });
  });

  document.addEventListener("htmx:oobAfterSwap", announce);
  document.addEventListener("htmx:afterSettle", announce);
  document.addEventListener("DOMContentLoaded", announce);
})();
