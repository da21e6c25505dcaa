// Broadsheet: keyboard shortcuts, offline copies of saved articles, the service worker, and what
// htmx's in-place saves need.
// Everything here is an enhancement: every page works without it.
(function () {
  "use strict";

  var current = -1;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("main .item"));
  }

  function select(index) {
    var list = items();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (el) { el.classList.remove("selected"); });
    var item = list[current];
    item.classList.add("selected");
    var link = item.querySelector("h2 a");
    if (link) link.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function open() {
    var list = items();
    var item = list[current];
    var link = item && item.querySelector("h2 a");
    if (link) window.location.href = link.href;
  }

  function save() {
    var button = document.querySelector("form.save button[data-key='s']");
    if (button) button.click();
  }

  function help() {
    var dialog = document.getElementById("help");
    if (!dialog) return;
    if (dialog.open) dialog.close(); else dialog.showModal();
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var actions = {
      j: function () { select(current + 1); },
      k: function () { select(current - 1); },
      o: open,
      s: save,
      "?": help,
      "/": function () { var q = document.getElementById("masthead-q"); if (q) q.focus(); }
    };
    var action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  // Keep a copy of saved articles for reading offline: the article being read when it is saved,
  // and every article listed on the Saved page.
  function keepOffline(urls) {
    if (!("caches" in window) || !urls.length) return;
    caches.open("broadsheet-saved").then(function (cache) {
      return cache.addAll(urls);
    }).catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("article.reading[data-saved]")) keepOffline([location.pathname]);
    var list = document.querySelector("[data-offline-list]");
    if (list) {
      keepOffline(Array.prototype.map.call(list.querySelectorAll(".item h2 a"), function (a) {
        return a.getAttribute("href");
      }).concat(["/saved"]));
    }
  });

  // htmx swapped in a new save button: the article is saved (or no longer), so keep the offline
  // copy in step, as a full page load would have.
  document.addEventListener("htmx:load", function (event) {
    var form = event.target;
    var article = document.querySelector("article.reading");
    if (!form.matches || !form.matches("form.save") || !article) return;
    if (form.hasAttribute("data-saved") && !document.querySelector(".paywall")) {
      article.setAttribute("data-saved", "1");
      keepOffline([location.pathname]);
    } else {
      article.removeAttribute("data-saved");
    }
  });

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () {});
    });
  }
})();
