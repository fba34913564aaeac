// Live feeds: every new post reaches the page as an htmx out-of-band message
// (from the WebSocket, the compose form's response, or the catch-up fetch).
// This file makes those arrivals idempotent and ordered, and catches up on
// what the page missed whenever its socket (re)connects.
(function () {
  "use strict";

  function postsIn(root) {
    return Array.from(root.querySelectorAll("[data-post-id]"));
  }

  function newestPostId(feed) {
    return postsIn(feed).reduce(function (max, el) {
      return Math.max(max, Number(el.dataset.postId));
    }, 0);
  }

  function announce(feed, posts) {
    var status = document.getElementById("live-status");
    if (!status || !posts.length) return;
    var text = feed.dataset.newPostText || "New post by";
    status.textContent = posts.map(function (p) {
      return text + " " + p.dataset.authorName;
    }).join(". ");
  }

  // Place each incoming post by id (newest first) unless the page shows it
  // already: the poster's page inserts its own post from the form response,
  // and a catch-up fetch may overlap a push.
  function placePosts(list, incoming) {
    var placed = [];
    postsIn(incoming).forEach(function (post) {
      var shown = document.getElementById(post.id);
      if (shown && shown !== post) return;
      var id = Number(post.dataset.postId);
      var next = postsIn(list).find(function (el) { return Number(el.dataset.postId) < id; });
      list.insertBefore(post, next || null);
      htmx.process(post);
      placed.push(post);
    });
    return placed;
  }

  // A feed that holds new posts (the home timeline) keeps them behind a
  // "N new posts" bar until the reader asks for them, so what they are
  // reading never moves.
  function holdPosts(feed, incoming) {
    var pending = feed.querySelector("[data-pending]");
    var held = [];
    postsIn(incoming).forEach(function (post) {
      if (document.getElementById(post.id)) return;
      pending.appendChild(post);
      held.push(post);
    });
    if (held.length) updateBar(feed);
    return held;
  }

  function updateBar(feed) {
    var bar = feed.querySelector("[data-new-posts-bar]");
    var count = postsIn(feed.querySelector("[data-pending]")).length;
    bar.textContent = count === 1
      ? feed.dataset.newOne
      : feed.dataset.newMany.replace("{count}", count);
    bar.hidden = count === 0;
    var status = document.getElementById("live-status");
    if (status && count) status.textContent = bar.textContent;
  }

  function showHeldPosts(feed) {
    var list = feed.querySelector("#feed-posts");
    var pending = feed.querySelector("[data-pending]");
    var placed = placePosts(list, pending);
    feed.querySelectorAll("[data-feed-empty]").forEach(function (el) { el.remove(); });
    updateBar(feed);
    if (placed.length) {
      var first = placed.reduce(function (a, b) {
        return Number(a.dataset.postId) > Number(b.dataset.postId) ? a : b;
      });
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var bar = event.target.closest("[data-new-posts-bar]");
    if (bar) showHeldPosts(bar.closest("[data-newer-url]"));
    // A catch-up that could not bring everything the page missed offers this.
    if (event.target.closest("[data-reload]")) location.reload();
  });

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var list = event.detail.target;
    if (list.matches("form.edit-form")) {
      // The author is editing this post here: their text stays; saving it
      // shows the post as it then is.
      event.detail.shouldSwap = false;
      return;
    }
    if (list.hasAttribute("data-reply-list")) {
      // The replier's page adds the reply from the form's response; the push
      // that follows must not add it twice.
      Array.from(event.detail.fragment.children).forEach(function (reply) {
        if (reply.id && document.getElementById(reply.id)) reply.remove();
      });
      return;
    }
    var feed = list.closest("[data-newer-url]");
    if (!feed || list.id !== "feed-posts") return;
    event.detail.shouldSwap = false;
    if (feed.hasAttribute("data-hold-new")) {
      // One's own post (posted from this page's compose box) shows at once.
      var me = document.body.dataset.me;
      var own = postsIn(event.detail.fragment).filter(function (post) {
        return post.dataset.authorId === me && !document.getElementById(post.id);
      });
      if (own.length) {
        var ownFragment = document.createDocumentFragment();
        own.forEach(function (post) { ownFragment.appendChild(post); });
        placePosts(list, ownFragment);
        feed.querySelectorAll("[data-feed-empty]").forEach(function (el) { el.remove(); });
      }
      holdPosts(feed, event.detail.fragment);
      return;
    }
    var placed = placePosts(list, event.detail.fragment);
    if (placed.length) {
      feed.querySelectorAll("[data-feed-empty]").forEach(function (el) { el.remove(); });
      announce(feed, placed);
    }
  });

  // Fragments are rendered once for everyone; what differs per viewer is
  // decided here from data attributes: their own reactions are pressed, and
  // delete buttons show on their own posts and replies and in groups they manage.
  function adaptToViewer(root) {
    var me = document.body.dataset.me;
    if (!me) return;
    var manages = document.body.dataset.manages || "";
    root.querySelectorAll("[data-reactors]").forEach(function (button) {
      var mine = button.dataset.reactors.indexOf(" " + me + " ") !== -1;
      button.setAttribute("aria-pressed", mine ? "true" : "false");
    });
    function managesGroup(el) {
      return manages.indexOf(" " + el.dataset.groupId + " ") !== -1;
    }
    root.querySelectorAll("form.delete[data-owner-id]").forEach(function (form) {
      form.hidden = !(form.dataset.ownerId === me || managesGroup(form));
    });
    root.querySelectorAll("[data-owner-only]").forEach(function (el) {
      el.hidden = el.dataset.ownerId !== me;
    });
    root.querySelectorAll("[data-manager-only]").forEach(function (el) {
      el.hidden = !managesGroup(el);
    });
  }

  htmx.onLoad(function (element) {
    adaptToViewer(element.parentElement || element);
  });

  function setConnection(feed, text) {
    var line = feed.querySelector("[data-connection]");
    if (!line) return;
    line.textContent = text || "";
    line.hidden = !text;
  }

  // Open the socket first, then fetch what is newer than the page: nothing
  // committed in between can be missed (the server joins the feed before it
  // accepts the socket).
  document.addEventListener("htmx:wsOpen", function (event) {
    var feed = event.target.closest("[data-newer-url]");
    if (!feed) return;
    setConnection(feed, "");
    feed.dataset.state = "catching-up";
    // Newest among shown and held posts alike; and the changes to the posts
    // shown (replies, reactions, edits, removals) since the page last read.
    var url = feed.dataset.newerUrl + "?after=" + newestPostId(feed);
    if (feed.dataset.syncedAt) url += "&since=" + feed.dataset.syncedAt;
    htmx.ajax("GET", url, {
      source: feed, swap: "none"
    }).then(function () {
      if (feed.dataset.state === "catching-up") feed.dataset.state = "live";
    });
  });

  // The catch-up says when it read: the next one asks for changes since then.
  document.addEventListener("htmx:afterRequest", function (event) {
    var feed = event.detail.elt;
    if (!feed.hasAttribute || !feed.hasAttribute("data-newer-url")) return;
    var at = event.detail.successful && event.detail.xhr.getResponseHeader("Kring-Synced-At");
    if (at) feed.dataset.syncedAt = at;
  });

  document.addEventListener("htmx:wsClose", function (event) {
    var feed = event.target.closest("[data-newer-url]");
    if (!feed) return;
    var code = event.detail.event.code;
    feed.dataset.state = "offline";
    // Abnormal closes (a restart, a lost network) are retried by the
    // extension with jittered backoff; a refusal is not, and says why.
    if (code === 4401) setConnection(feed, feed.dataset.loggedOutText);
  });
})();
