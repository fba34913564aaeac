// The header's search box: an ARIA combobox. Typing asks for suggestions (after
// a short pause, people and groups first); the arrow keys move through them,
// Enter opens the one chosen (or, with none chosen, searches), Escape closes
// them, a click or tap opens one. Without JavaScript the box is a plain search
// form. Also: "More results" moves focus to the first of the results it adds.
(function () {
  "use strict";

  var timer = null;
  var asked = 0;

  function boxOf(el) { return el.closest && el.closest("[data-site-search]"); }
  function inputOf(box) { return box.querySelector("input[role=combobox]"); }
  function listOf(box) { return box.querySelector("[role=listbox]"); }
  function options(box) { return Array.from(listOf(box).querySelectorAll("[role=option]")); }

  function say(box, count) {
    var status = box.querySelector("[data-suggestion-status]");
    if (!status) return;
    status.textContent = count === 0 ? status.dataset.none
      : count === 1 ? status.dataset.one : status.dataset.many.replace("{count}", count);
  }

  function close(box) {
    var list = listOf(box);
    var input = inputOf(box);
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(box, option) {
    options(box).forEach(function (el) {
      el.setAttribute("aria-selected", el === option ? "true" : "false");
    });
    inputOf(box).setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function open(option) {
    window.location.assign(option.dataset.href);
  }

  function suggest(box) {
    var input = inputOf(box);
    var query = input.value.trim();
    if (query.length < 2) return close(box);
    var mine = ++asked;
    var list = listOf(box);
    var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
    htmx.ajax("GET", url, { target: list, swap: "innerHTML", source: input }).then(function () {
      if (mine !== asked || input.value.trim() !== query) return; // a newer answer follows
      var found = options(box);
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      input.removeAttribute("aria-activedescendant");
      // The last option is "Search for …": count the suggestions before it.
      say(box, Math.max(0, found.length - 1));
    });
  }

  document.addEventListener("input", function (event) {
    var box = boxOf(event.target);
    if (!box || event.target !== inputOf(box)) return;
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(box); }, 200);
  });

  document.addEventListener("keydown", function (event) {
    var box = boxOf(event.target);
    if (!box || event.target !== inputOf(box)) return;
    var list = listOf(box);
    var found = options(box);
    var index = found.findIndex(function (el) { return el.getAttribute("aria-selected") === "true"; });
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && found.length) {
      event.preventDefault();
      if (list.hidden) { list.hidden = false; event.target.setAttribute("aria-expanded", "true"); }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = index < 0 ? (step > 0 ? 0 : found.length - 1) : (index + step + found.length) % found.length;
      highlight(box, found[next]);
    } else if (event.key === "Enter" && !list.hidden && index >= 0) {
      event.preventDefault();
      open(found[index]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close(box);
    }
  });

  // mousedown, not click: the box keeps focus, so the list is still there.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-site-search] [role=option]");
    if (!option) return;
    event.preventDefault();
    open(option);
  });

  document.addEventListener("focusout", function (event) {
    var box = boxOf(event.target);
    if (box && event.target === inputOf(box)) setTimeout(function () { close(box); }, 150);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var first = document.querySelector("[data-first-new]");
    if (!first) return;
    first.removeAttribute("data-first-new");
    first.focus();
  });
})();
