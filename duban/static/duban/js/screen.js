// The cockpit's wall screen: a button that puts the page in full screen where the browser allows it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-fullscreen]");
    if (!button || !document.documentElement.requestFullscreen) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { document.documentElement.requestFullscreen(); });
  });
})();
