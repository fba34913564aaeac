// A knowledge page's socket: its state for the tests and for anyone who looks
// (data-state on the socket's element: "live" or "offline"). What the socket
// brings ("Updated by … just now") is an out-of-band swap into the page's live
// region, which htmx does itself.
(function () {
  "use strict";

  document.addEventListener("htmx:wsOpen", function (event) {
    if (event.target.hasAttribute("data-page-socket")) event.target.dataset.state = "live";
  });

  document.addEventListener("htmx:wsClose", function (event) {
    if (event.target.hasAttribute("data-page-socket")) event.target.dataset.state = "offline";
  });
})();
