// An event's page: its socket brings the places left and one's own answer. Each
// time the socket opens (first, and after a break) the page fetches both again, so
// nothing changed before the socket listened is missed; data-state says whether
// the page is live.
(function () {
  "use strict";

  function live(event) {
    var el = event.target;
    return el && el.matches && el.matches("[data-event-live]") ? el : null;
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    var el = live(event);
    if (!el) return;
    el.dataset.state = "catching-up";
    htmx.ajax("GET", el.dataset.statusUrl, { source: el, swap: "none" }).then(function () {
      if (el.dataset.state === "catching-up") el.dataset.state = "live";
    });
  });

  document.addEventListener("htmx:wsClose", function (event) {
    var el = live(event);
    if (el) el.dataset.state = "offline";
  });
})();
