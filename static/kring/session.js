// When the server closes a socket with 4401, the login this page was opened
// with has ended (logged out, elsewhere or here; the account deactivated; the
// password changed; the session expired). The page says so once, in the live
// region at its top, with a link to log in again. The socket is not retried
// (reconnect.js leaves 4401 alone).
(function () {
  "use strict";

  document.addEventListener("htmx:wsClose", function (event) {
    var detail = event.detail && event.detail.event;
    if (!detail || detail.code !== 4401) return;
    var region = document.getElementById("logged-out");
    var message = region && region.querySelector("template[data-logged-out-message]");
    if (!message || region.querySelector("p")) return;
    region.appendChild(message.content.cloneNode(true));
  });
})();
