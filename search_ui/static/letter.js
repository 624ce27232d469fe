// Progressive enhancement for the letter page (it works without this file):
// - opened with ?q= but without a #fragment, go to the first matching paragraph, as a link would;
// - "link naar deze alinea" copies the paragraph's address (without it, the link is the address).
(function () {
  "use strict";
  var letter = document.querySelector("[data-first-hit]");
  if (letter && !window.location.hash) {
    var id = letter.getAttribute("data-first-hit");
    if (document.getElementById(id)) {
      window.location.replace("#" + id);
    }
  }
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("a.para-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var address = link.href;
      navigator.clipboard.writeText(address).then(function () {
        var label = link.firstChild;
        var before = label.textContent;
        label.textContent = "link gekopieerd";
        setTimeout(function () { label.textContent = before; }, 2000);
      }, function () {
        window.location.href = address; // no clipboard: follow the link, as without script
      });
      history.replaceState(null, "", "#" + link.parentNode.id);
    });
  });
})();
