// The shell: on narrow screens the menu button opens the navigation as a
// drawer (aria-expanded tells its state; Escape or a click outside closes it
// and gives focus back to the button). The account menu is a <details>: it
// works without script; this only closes it on Escape and on a click outside.
(function () {
  "use strict";

  function toggle() { return document.querySelector("[data-nav-toggle]"); }
  function nav() { return document.querySelector("[data-nav]"); }

  function setOpen(open, focusButton) {
    var button = toggle(), drawer = nav();
    if (!button || !drawer) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    drawer.classList.toggle("open", open);
    document.body.classList.toggle("nav-open", open);
    if (open) {
      var first = drawer.querySelector("a, button");
      if (first) first.focus();
    } else if (focusButton) {
      button.focus();
    }
  }

  function isOpen() {
    var button = toggle();
    return button && button.getAttribute("aria-expanded") === "true";
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-nav-toggle]")) {
      setOpen(!isOpen(), false);
      return;
    }
    // A rate limit's message (limits/fragments/limited.html) goes when closed.
    if (event.target.closest("[data-limit-dismiss]")) {
      document.getElementById("limit-message").replaceChildren();
      return;
    }
    if (isOpen() && !event.target.closest("[data-nav]")) setOpen(false, false);
    document.querySelectorAll("[data-account-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (isOpen()) setOpen(false, true);
    document.querySelectorAll("[data-account-menu][open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });

  // A form refused as out of date (project/errors.py): its message goes to the
  // alert region; htmx swaps nothing else, so what was typed stays.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.getResponseHeader("Kring-Refused") !== "stale-form") return;
    htmx.swap("#limit-message", xhr.responseText, { swapStyle: "innerHTML" });
  });

  // Back on a wide screen the drawer is the sidebar again.
  var wide = window.matchMedia("(min-width: 64rem)");
  wide.addEventListener("change", function () { if (wide.matches) setOpen(false, false); });
})();
