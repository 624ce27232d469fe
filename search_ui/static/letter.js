// Progressive enhancement for the letter page (it works without this file): when the letter is
// opened with ?q= but without a #fragment, go to the first matching paragraph, as a link would.
(function () {
  "use strict";
  var letter = document.querySelector("[data-first-hit]");
  if (!letter || window.location.hash) {
    return;
  }
  var id = letter.getAttribute("data-first-hit");
  if (document.getElementById(id)) {
    window.location.replace("#" + id);
  }
})();
