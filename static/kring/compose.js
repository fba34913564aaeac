// The compose box: the title shows only for an article or an announcement (the
// page shows it without script), and a counter warns from 90 % of the limit
// instead of the browser cutting a long text off silently. The server still
// refuses an over-long text, with a message, keeping what was typed. Files
// too large are refused before sending, here and on the profile page.
(function () {
  "use strict";

  var WARN_FROM = 0.9;
  var SPEAK_AFTER_MS = 900;

  function applyKind(form) {
    var title = form.querySelector("[data-compose-title]");
    if (!title) return;
    var checked = form.querySelector("input[name=kind]:checked");
    var kind = checked ? checked.value : "update";
    title.hidden = kind === "update";
  }

  // On the home page an announcement can go only to a group one manages.
  function applyGroup(form) {
    var select = form.querySelector("[data-compose-group]");
    var choice = form.querySelector("[data-announce-choice]");
    if (!select || !choice) return;
    var option = select.options[select.selectedIndex];
    var allowed = option && option.hasAttribute("data-announce");
    var radio = choice.querySelector("input");
    choice.hidden = !allowed;
    if (!allowed && radio.checked) {
      radio.checked = false;
      form.querySelector("input[name=kind][value=update]").checked = true;
    }
  }

  function counterOf(textarea) {
    var id = textarea.dataset.counter;
    return id ? document.getElementById(id) : null;
  }

  function phrase(counter, count, over) {
    var key = over ? (count === 1 ? "overOne" : "overMany") : (count === 1 ? "leftOne" : "leftMany");
    return counter.dataset[key].replace("{count}", count);
  }

  // The visible count follows every keystroke; the live region speaks only
  // once typing pauses, and only when what it would say changed band
  // (every 10 % of the last tenth, and crossing the limit), so a screen
  // reader is told politely, not at each key.
  function updateCount(textarea, speak) {
    var counter = counterOf(textarea);
    if (!counter) return;
    var max = Number(textarea.dataset.maxLength);
    var length = textarea.value.length;
    var shown = counter.querySelector("[data-count-shown]");
    var live = counter.querySelector("[data-count-live]");
    var warn = length >= max * WARN_FROM;
    var over = length > max;
    counter.classList.toggle("warn", over || length >= max);
    shown.textContent = warn ? phrase(counter, Math.abs(max - length), over) : "";
    if (over) textarea.setAttribute("aria-invalid", "true");
    else if (textarea.dataset.invalidByCount) textarea.removeAttribute("aria-invalid");
    textarea.dataset.invalidByCount = over ? "1" : "";
    if (!speak) return;
    var band = !warn ? "" : over ? "over" : String(Math.floor((length / max) * 100 / 3));
    clearTimeout(textarea._speakTimer);
    textarea._speakTimer = setTimeout(function () {
      if (band === (textarea.dataset.spokenBand || "")) return;
      textarea.dataset.spokenBand = band;
      live.textContent = band ? phrase(counter, Math.abs(max - textarea.value.length), textarea.value.length > max) : "";
    }, SPEAK_AFTER_MS);
  }

  function setUp(root) {
    root.querySelectorAll("[data-compose]").forEach(function (form) {
      applyGroup(form);
      applyKind(form);
    });
    root.querySelectorAll("textarea[data-max-length]").forEach(function (textarea) {
      updateCount(textarea, false);
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-compose]");
    if (!form) return;
    if (event.target.matches("[data-compose-group]")) applyGroup(form);
    if (event.target.name === "kind" || event.target.matches("[data-compose-group]")) applyKind(form);
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-max-length]")) updateCount(event.target, true);
  });

  // A file too large is refused here, before anything is sent: the message
  // beside the file input is announced, and the form stays as it is, files
  // and text. (Without this script the server refuses such a body unread, 413.)
  function sizeRefusal(input) {
    var max = Number(input.dataset.maxBytes);
    var total = 0;
    var files = Array.prototype.slice.call(input.files || []);
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > max) return input.dataset.tooLarge.replace("{name}", files[i].name);
      total += files[i].size;
    }
    return total > Number(input.dataset.maxTotal) ? input.dataset.tooMuch : "";
  }

  function checkSizes(input) {
    var slot = input.form && input.form.querySelector("[data-refusal]");
    var refusal = sizeRefusal(input);
    if (slot) slot.textContent = refusal;
    if (refusal) input.setAttribute("aria-invalid", "true");
    else if (input.dataset.invalidBySize) input.removeAttribute("aria-invalid");
    input.dataset.invalidBySize = refusal ? "1" : "";
    return refusal;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("input[type=file][data-max-bytes]")) checkSizes(event.target);
  });

  // In the capture phase, so a refused form never reaches htmx (which listens on
  // the form itself) nor the browser's own sending.
  document.addEventListener("submit", function (event) {
    var refused = null;
    event.target.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      if (checkSizes(input) && !refused) refused = input;
    });
    if (!refused) return;
    event.preventDefault();
    event.stopPropagation();
    refused.focus();
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
    if (window.htmx) htmx.onLoad(function (element) { setUp(element.parentElement || element); });
  });
})();
