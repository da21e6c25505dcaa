// Reading to the end: when a signed-in reader reaches the end of an article after spending a
// fair share of its reading time on it, tell For you once. Progressive: without script the
// page reads the same, and For you learns from opens and saves alone.
(function () {
  "use strict";
  var marker = document.getElementById("read-end");
  if (!marker || !("IntersectionObserver" in window)) return;
  var started = Date.now();
  var minutes = parseFloat(marker.dataset.minutes || "1");
  var needed = Math.min(30000, Math.max(5000, minutes * 60000 * 0.3));
  var sent = false;
  function send() {
    if (sent) return;
    sent = true;
    var body = new FormData();
    body.append("kind", "read_end");
    body.append("target", marker.dataset.article);
    body.append("weight", Math.min(1, (Date.now() - started) / (minutes * 60000)).toFixed(2));
    fetch("/signals", {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": marker.dataset.csrf }
    }).catch(function () { sent = false; });
  }
  new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var wait = needed - (Date.now() - started);
      if (wait <= 0) send(); else setTimeout(send, wait);
    });
  }).observe(marker);
})();
