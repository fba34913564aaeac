// The settings page's access tokens: a just-made token is announced and focused,
// its copy button copies it, and revoking asks first.
(function () {
  "use strict";
  function ready() {
    var status = document.querySelector("[data-token-status]");
    function say(text) {
      if (!status) return;
      status.textContent = "";
      // A change after the page has settled is what a screen reader announces.
      window.setTimeout(function () { status.textContent = text; }, 100);
    }
    var made = document.querySelector("[data-token-made]");
    if (made) {
      made.focus();
      say(status.getAttribute("data-announce"));
    }
    document.querySelectorAll("[data-copy-token]").forEach(function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-copy-token"));
        field.select();
        var copied = navigator.clipboard
          ? navigator.clipboard.writeText(field.value)
          : Promise.reject(new Error("no clipboard"));
        copied.then(
          function () { say(status.getAttribute("data-copied")); },
          function () { say(status.getAttribute("data-not-copied")); }
        );
      });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
