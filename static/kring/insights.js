// A nudge's page: its socket brings the progress as it stands when it opens, and
// as it moves. data-state on the socket's element says whether the page is live.
(function () {
  "use strict";

  function live(event) {
    var el = event.target;
    return el && el.matches && el.matches("[data-nudge-live]") ? el : null;
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    var el = live(event);
    if (el) el.dataset.state = "live";
  });

  document.addEventListener("htmx:wsClose", function (event) {
    var el = live(event);
    if (el) el.dataset.state = "offline";
  });
})();
