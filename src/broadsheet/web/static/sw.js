// Broadsheet's service worker: the app shell from cache, pages from the network with the saved
// copies (cache "broadsheet-saved", filled by app.js) as the offline fallback.
"use strict";

var SHELL = "broadsheet-shell-v2";
var SHELL_FILES = ["/offline", "/static/style.css", "/static/app.js", "/static/htmx.min.js",
                   "/manifest.webmanifest"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_FILES); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("broadsheet-shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fetch(request).catch(function () { return caches.match(request); }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(request, { ignoreSearch: false }).then(function (hit) {
        return hit || caches.match("/offline");
      });
    }));
  }
});
