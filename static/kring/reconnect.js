// Reconnecting at once when the network comes back. The htmx ws extension
// reconnects after an abnormal close (1006, 1011, 1012, 1013) once a
// "full-jitter" back-off has passed: a random wait of up to 2^min(retry, 6)
// seconds. That back-off stays for closes that happen while the network is up
// (a server restart): it keeps a thousand pages from reconnecting in the same
// second. But a page whose network was away has backed off further for each
// failed try meanwhile, and would wait up to a minute after the network
// returned, for nothing: the server was never the trouble. So when the window
// says it is online again, or the page becomes visible again (a laptop waking
// up), a socket that is closed and waiting out its back-off reconnects at
// once. feed.js and notices.js catch up after every (re)connect, whoever made
// it. This covers every socket the extension opens: a feed's, and the bell's
// /ws/notices/ on pages without a feed.
(function () {
  "use strict";

  // The extension keeps each socket's wrapper (its `socket`, `retryCount` and
  // `init`, which opens a new socket) in htmx's internal data of the
  // ws-connect element. An extension's init is handed htmx's internal API,
  // which reads that data; this one is never named in hx-ext, so htmx gives
  // it nothing else. (Written against the vendored htmx-ext-ws 2.0.4.)
  var internal = null;
  htmx.defineExtension("kring-reconnect", {
    init: function (api) { internal = api; }
  });

  function wrapperOf(element) {
    return internal && internal.getInternalData(element).webSocket;
  }

  // The closes the extension retries; a refusal (4401, 4403) or a normal
  // close is final, and must stay so.
  var RETRIED = [1006, 1011, 1012, 1013];
  // ws-connect elements whose socket closed and awaits the extension's retry.
  var waiting = new Set();

  // The extension's back-off timer cannot be cancelled: when it fires it calls
  // the wrapper's init, which closes the socket if it is open and opens
  // another. Once this module has reconnected, that would drop the fresh
  // socket for a new one, or, if the fresh one is still connecting, leave two
  // open on one feed (every push shown twice). So a wrapper's init goes
  // ahead only when its socket is closed; a late timer finds it open or
  // connecting and does nothing. (The wrapper's publicInterface.reconnect is
  // bound to the extension's own init and keeps its meaning.)
  function guard(wrapper) {
    if (wrapper.kringGuarded) return;
    var init = wrapper.init;
    wrapper.init = function () {
      var socket = this.socket;
      if (socket && socket.readyState === WebSocket.OPEN) {
        this.retryCount = 0; // the late timer counted one more try
        return;
      }
      if (socket && socket.readyState === WebSocket.CONNECTING) return;
      return init.apply(this, arguments);
    };
    wrapper.kringGuarded = true;
  }

  document.addEventListener("htmx:wsClose", function (event) {
    var wrapper = wrapperOf(event.target);
    if (!wrapper) return;
    // The extension has scheduled its retry just before this event.
    guard(wrapper);
    if (RETRIED.indexOf(event.detail.event.code) !== -1) waiting.add(event.target);
    else waiting.delete(event.target);
  });

  document.addEventListener("htmx:wsOpen", function (event) {
    waiting.delete(event.target);
  });

  function reconnectNow() {
    if (!navigator.onLine) return;
    waiting.forEach(function (element) {
      var wrapper = wrapperOf(element);
      if (!wrapper || !document.body.contains(element)) {
        waiting.delete(element);
        return;
      }
      // Connecting (a retry under way): leave it; its open or its close
      // comes next. (An open socket is not waiting: one that only looks
      // open is the browser's to find out, and the catch-up follows the
      // reconnect after its close.)
      if (wrapper.socket.readyState === WebSocket.CLOSED) wrapper.init();
    });
  }

  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") reconnectNow();
  });
})();
