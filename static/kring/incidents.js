// The home page's major incidents. The widget comes rendered once for everyone
// (first render, socket pushes, catch-up); this script adds what is the reader's
// own: which incidents they follow (data-followed), and drops a resolved incident
// when its time on the page is up (data-hide-after, seconds from its render).
// Whenever the home page's socket (re)opens, the widget is fetched again, so a
// push missed while away is not missed for good.
(function () {
  "use strict";

  function region() {
    return document.querySelector("[data-incidents]");
  }

  function followed(el) {
    return (el.dataset.followed || "").split(" ").filter(Boolean);
  }

  function apply() {
    var el = region();
    if (!el) return;
    var mine = followed(el);
    el.querySelectorAll("[data-incident]").forEach(function (item) {
      var following = mine.indexOf(item.dataset.incident) !== -1;
      var lostFocus = false;
      item.querySelectorAll("[data-when]").forEach(function (button) {
        var show = button.dataset.when === (following ? "following" : "not-following");
        if (!show && document.activeElement === button) lostFocus = true;
        button.hidden = !show;
      });
      // The button pressed gave way to the other one: the focus goes there.
      if (lostFocus) {
        var other = item.querySelector("[data-when]:not([hidden])");
        if (other) other.focus();
      }
      var after = item.dataset.hideAfter;
      if (after !== undefined && !item.dataset.timer) {
        item.dataset.timer = "1";
        setTimeout(function () { drop(item); }, Number(after) * 1000);
      }
    });
  }

  function drop(item) {
    if (!document.body.contains(item)) return;
    var list = item.parentNode;
    item.remove();
    if (list && !list.querySelector("[data-incident]")) {
      var el = region();
      if (el) el.innerHTML = "";
    }
  }

  // A push replaces the widget's content: the button that had the focus (kept by
  // its id) takes it back once the reader's own state is applied.
  var focused = null;
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var active = document.activeElement;
    var el = region();
    focused = el && active && active.id && el.contains(active) ? active.id : null;
  });

  document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("htmx:oobAfterSwap", function () {
    apply();
    if (!focused) return;
    var again = document.getElementById(focused);
    focused = null;
    if (again && !again.hidden && document.activeElement !== again) again.focus();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("[data-incident-follow]") || !event.detail.successful) return;
    var el = region();
    var item = form.closest("[data-incident]");
    if (!el || !item) return;
    var mine = followed(el).filter(function (id) { return id !== item.dataset.incident; });
    if (event.detail.xhr.getResponseHeader("Kring-Following") === "1") mine.push(item.dataset.incident);
    el.dataset.followed = mine.join(" ");
    apply();
  });

  document.addEventListener("htmx:wsOpen", function (event) {
    var el = region();
    if (!el || !event.target.closest || !event.target.closest("[data-newer-url]")) return;
    el.dataset.state = "catching-up";
    htmx.ajax("GET", el.dataset.widgetUrl, { source: el, swap: "none" }).then(function () {
      if (el.dataset.state === "catching-up") el.dataset.state = "live";
    });
  });

  document.addEventListener("htmx:wsClose", function (event) {
    var el = region();
    if (el && event.target.closest && event.target.closest("[data-newer-url]")) el.dataset.state = "offline";
  });
})();
