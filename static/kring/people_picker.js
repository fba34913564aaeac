// "Add someone" on a group's members page: an ARIA combobox. Type a few letters
// of a name, move through the people found with the arrow keys, Enter picks one
// (or a click), Escape closes. The pick fills the hidden `username`, so the
// server knows exactly whom; without JavaScript the typed text is resolved there.
(function () {
  "use strict";

  var timer = null;

  function listOf(input) {
    return document.getElementById(input.getAttribute("aria-controls"));
  }

  function options(list) {
    return Array.from(list.querySelectorAll("[role=option]"));
  }

  function picked(input) {
    return input.form.querySelector("input[name=username]");
  }

  function close(input) {
    var list = listOf(input);
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(input, option) {
    options(listOf(input)).forEach(function (el) {
      el.setAttribute("aria-selected", el === option ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function choose(input, option) {
    input.value = option.dataset.name;
    picked(input).value = option.dataset.person;
    close(input);
    input.focus();
  }

  function suggest(input) {
    var query = input.value.trim();
    if (!query) return close(input);
    var list = listOf(input);
    var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
    htmx.ajax("GET", url, { target: list, swap: "innerHTML", source: input }).then(function () {
      if (input.value.trim() !== query) return; // typed on meanwhile: a newer answer follows
      list.hidden = list.children.length === 0;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
    });
  }

  function isPicker(el) {
    return el.matches && el.matches("[data-people-picker] input[role=combobox]");
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!isPicker(input)) return;
    picked(input).value = ""; // edited after a pick: the text counts again
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(input); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!isPicker(input)) return;
    var list = listOf(input);
    var found = options(list);
    var index = found.findIndex(function (el) { return el.getAttribute("aria-selected") === "true"; });
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && found.length) {
      event.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = index < 0 ? (step > 0 ? 0 : found.length - 1) : (index + step + found.length) % found.length;
      highlight(input, found[next]);
    } else if (event.key === "Enter" && !list.hidden && index >= 0) {
      event.preventDefault(); // picks; the next Enter adds
      choose(input, found[index]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close(input);
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest("[data-people-picker] [role=option][data-person]");
    if (!option) return;
    event.preventDefault();
    choose(document.querySelector("[aria-controls='" + option.parentElement.id + "']"), option);
  });

  document.addEventListener("focusout", function (event) {
    if (isPicker(event.target)) setTimeout(function () { close(event.target); }, 0);
  });
})();
