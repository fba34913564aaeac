// @mention suggestions in the compose box: type "@" and a few letters, pick
// a person with the arrow keys and Enter or Tab (or a click), Escape closes.
// The textarea is an ARIA combobox; suggestions come from the server as
// <li role="option" data-username> fragments (debounced, fetched with htmx).
(function () {
  "use strict";

  var MENTION_AT_CARET = /(?:^|[^\w.+\-@])@([\w.+\-]{1,30})$/u;
  var timer = null;

  function boxOf(textarea) {
    return document.getElementById(textarea.getAttribute("aria-controls"));
  }

  function currentQuery(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = before.match(MENTION_AT_CARET);
    return match ? match[1] : null;
  }

  function options(box) {
    return Array.from(box.querySelectorAll("[role=option]"));
  }

  function close(textarea) {
    var box = boxOf(textarea);
    box.hidden = true;
    box.innerHTML = "";
    textarea.setAttribute("aria-expanded", "false");
    textarea.removeAttribute("aria-activedescendant");
  }

  function select(textarea, option) {
    options(boxOf(textarea)).forEach(function (el) {
      el.setAttribute("aria-selected", el === option ? "true" : "false");
    });
    textarea.setAttribute("aria-activedescendant", option.id);
  }

  function choose(textarea, option) {
    var caret = textarea.selectionStart;
    var before = textarea.value.slice(0, caret).replace(/@[\w.+\-]*$/u, "@" + option.dataset.username + " ");
    textarea.value = before + textarea.value.slice(caret);
    textarea.selectionStart = textarea.selectionEnd = before.length;
    close(textarea);
    textarea.focus();
  }

  function suggest(textarea) {
    var query = currentQuery(textarea);
    if (!query) return close(textarea);
    var box = boxOf(textarea);
    htmx.ajax("GET", textarea.dataset.mentionUrl + "?q=" + encodeURIComponent(query), {
      target: box, swap: "innerHTML", source: textarea
    }).then(function () {
      var found = options(box);
      box.hidden = found.length === 0;
      textarea.setAttribute("aria-expanded", found.length ? "true" : "false");
      if (found.length) select(textarea, found[0]);
    });
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea[data-mention-url]")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(textarea); }, 200);
  });

  document.addEventListener("keydown", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea[data-mention-url]")) return;
    var box = boxOf(textarea);
    if (box.hidden) return;
    var list = options(box);
    var index = list.findIndex(function (el) { return el.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      select(textarea, list[(index + step + list.length) % list.length]);
    } else if ((event.key === "Enter" || event.key === "Tab") && index >= 0) {
      event.preventDefault();
      choose(textarea, list[index]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(textarea);
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest("[role=option][data-username]");
    if (!option) return;
    event.preventDefault();
    var textarea = document.querySelector("[aria-controls='" + option.parentElement.id + "']");
    choose(textarea, option);
  });
})();
