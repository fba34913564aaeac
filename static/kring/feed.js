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

  // Live arrivals from others are read out once, through #live-status: a
  // post or reply that reaches the page twice (the form's response and the
  // socket, or a push and a catch-up) is placed once and told once, and one's
  // own are not told at all (focus says what happened to them).
  var told = new Set();

  function say(text) {
    var status = document.getElementById("live-status");
    if (!status || !text) return;
    // Emptied first, so the same words again (a second post by the same person)
    // are read out again.
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  function untold(elements) {
    var me = document.body.dataset.me;
    return elements.filter(function (el) {
      if (told.has(el.id)) return false;
      told.add(el.id);
      return el.dataset.authorId !== me;
    });
  }

  function announce(feed, posts) {
    var fresh = untold(posts);
    if (!fresh.length) return;
    var text = feed.dataset.newPostText || "New post by";
    say(fresh.map(function (p) {
      return text + " " + p.dataset.authorName;
    }).join(". "));
  }

  function announceReplies(replies) {
    var fresh = untold(replies);
    var status = document.getElementById("live-status");
    if (!fresh.length || !status) return;
    var text = status.dataset.newReplyText || "New reply by";
    say(fresh.map(function (reply) {
      var author = reply.querySelector(".reply-author");
      return text + " " + (author ? author.textContent.trim() : "");
    }).join(". "));
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
      announceReplies(Array.from(event.detail.fragment.children).filter(function (el) {
        return el.matches(".reply[id]");
      }));
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

  // Focus after an action lands where the person goes on, not on the page's
  // body: after posting, in the (emptied) compose box; after reacting, on the
  // same reaction button; after replying, in the reply box; after opening the
  // edit form, in its text; after saving or cancelling it, on the post; after
  // deleting a post, on the next one (or the feed's heading). The elements are
  // found again after the swap: htmx replaces them, and the socket's push of
  // the same change may replace them once more (see keepFocus below).
  function focusOn(el) {
    if (!el) return;
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  }

  function postOf(el) {
    return el.closest("[data-post-id]");
  }

  function focusAfter(elt, event) {
    var form = elt.closest("form");
    var post = postOf(elt);
    var postId = post && post.dataset.postId;
    if (form && form.matches("form.compose")) {
      return function () { focusOn(document.querySelector("form.compose textarea[name=body]")); };
    }
    if (form && form.closest(".reactions") && postId) {
      var submitter = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent &&
        event.detail.requestConfig.triggeringEvent.submitter;
      var kind = submitter ? submitter.value : "";
      return function () {
        var box = document.getElementById("post-" + postId + "-reactions");
        focusOn(box && box.querySelector("button[value='" + kind + "']"));
      };
    }
    if (form && form.matches("form.reply-form") && postId) {
      return function () { focusOn(document.getElementById("reply-" + postId + "-body")); };
    }
    if (form && form.matches("form.delete") && form.closest(".reply") && postId) {
      return function () { focusOn(document.getElementById("reply-" + postId + "-body")); };
    }
    if (elt.matches("button.edit") && postId) {
      return function () { focusOn(document.getElementById("edit-" + postId)); };
    }
    if (form && form.matches("form.edit-form") && postId) {
      var cancelled = elt.matches("button[hx-get]");
      return function () {
        var shown = document.getElementById("post-" + postId);
        if (!shown) return;
        if (document.getElementById("edit-" + postId)) return; // refused: the form stays
        focusOn(cancelled ? shown.querySelector("button.edit") : shown);
      };
    }
    if (form && form.matches("form.delete") && post) {
      var posts = Array.from(document.querySelectorAll("[data-post-id]"));
      var at = posts.indexOf(post);
      var next = posts[at + 1] || posts[at - 1];
      return function () {
        if (document.body.contains(post)) return; // not deleted
        focusOn(next && document.body.contains(next) ? next
          : document.getElementById("feed-title") || document.getElementById("main"));
      };
    }
    return null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.closest || !event.detail.xhr) return;
    var then = focusAfter(elt, event);
    // htmx swaps in the request's load handler; loadend comes after it.
    if (then) event.detail.xhr.addEventListener("loadend", function () { setTimeout(then, 0); });
  });

  // A push or response that replaces the element holding the focus (a
  // reaction button inside the reactions it updates) would drop the focus to
  // the page: the same control in the new element takes it back.
  var refocus = null;
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    refocus = null;
    if (!target || !target.id || !active || active === document.body || !target.contains(active)) return;
    var selector = active.id ? "#" + CSS.escape(active.id)
      : active.name ? active.tagName.toLowerCase() + "[name='" + active.name + "'][value='" + active.value + "']"
        : null;
    if (selector) refocus = { id: target.id, selector: selector };
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    if (!refocus) return;
    var container = document.getElementById(refocus.id);
    var again = container && (container.matches(refocus.selector) ? container : container.querySelector(refocus.selector));
    refocus = null;
    if (again && document.activeElement !== again) again.focus();
  });
})();
