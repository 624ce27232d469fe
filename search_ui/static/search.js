// Progressive enhancement for the search page; the page works without this file.
//
// 1. Search as you type: the search box becomes an ARIA combobox whose listbox offers
//    completions from /api/suggest. Arrow keys move through them, Enter searches the one chosen,
//    Escape closes the list (and keeps what was typed), a click chooses one.
// 2. The filters: a <details> that style.css shows open beside the results on a wide screen;
//    where a browser cannot show a closed <details>'s content, it is opened here instead.
(function () {
  "use strict";

  var WIDE = "(min-width: 52rem)";
  var filters = document.getElementById("filters");
  if (filters && !(window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) {
    var wide = window.matchMedia(WIDE);
    var follow = function () { filters.open = wide.matches; };
    follow();
    if (wide.addEventListener) { wide.addEventListener("change", follow); }
  }

  var input = document.getElementById("q");
  var form = document.getElementById("zoeken");
  if (!input || !form || !window.fetch) {
    return;
  }
  var KINDS = {topic: "onderwerp", dossier: "dossier", abbreviation: "afkorting", synonym: "synoniem", word: ""};
  var DELAY = 80; // ms after the last keystroke
  var endpoint = form.getAttribute("data-suggest");
  var list = document.createElement("ul");
  var status = document.createElement("p");
  var options = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var typed = input.value;

  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggesties");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.parentNode.appendChild(list);
  input.parentNode.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(index) {
    active = index;
    options.forEach(function (option, i) {
      option.element.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      input.value = typed;
    } else {
      input.setAttribute("aria-activedescendant", options[index].element.id);
      input.value = options[index].value;
      options[index].element.scrollIntoView({block: "nearest"});
    }
  }

  function show(suggestions) {
    list.textContent = "";
    options = suggestions.map(function (s, i) {
      var item = document.createElement("li");
      item.id = "q-suggestion-" + i;
      item.className = "suggestion-option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var text = document.createElement("span");
      text.className = "suggestion-text";
      text.textContent = s.value;
      item.appendChild(text);
      var kind = KINDS[s.kind] || "";
      if (kind || s.detail) {
        var note = document.createElement("span");
        note.className = "suggestion-kind";
        note.textContent = [kind, s.detail].filter(Boolean).join(": ");
        item.appendChild(note);
      }
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the box
        input.value = s.value;
        close();
        form.submit();
      });
      list.appendChild(item);
      return {element: item, value: s.value};
    });
    active = -1;
    if (options.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = options.length + (options.length === 1 ? " suggestie" : " suggesties");
    } else {
      close();
      status.textContent = "";
    }
  }

  function ask() {
    if (pending) {
      pending.abort();
    }
    var text = input.value;
    if (text.trim().length < 2) {
      show([]);
      return;
    }
    pending = window.AbortController ? new AbortController() : null;
    fetch(endpoint + "?q=" + encodeURIComponent(text), {signal: pending ? pending.signal : undefined})
      .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
      .then(function (data) {
        if (input.value === text && document.activeElement === input) {
          show(data.suggestions || []);
        }
      })
      .catch(function () { /* an aborted or failed request: the box works as before */ });
  }

  input.addEventListener("input", function () {
    typed = input.value;
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY);
  });

  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) {
        if (options.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        return;
      }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = active + step;
      if (next >= options.length) { next = -1; }
      if (next < -1) { next = options.length - 1; }
      choose(next);
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault(); // a search box would clear itself
        choose(-1);
        close();
      }
    } else if (event.key === "Enter") {
      close(); // the form is sent with the box's value: the option chosen, or what was typed
    } else if (event.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });
})();
