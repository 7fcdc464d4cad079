/* Offline reading: a story once read opens again without network. First-party, no library.
 *
 * Scope: the folder this file is served from, i.e. the site root, also when the site lives under a sub-path.
 *   pages (HTML)                      network first; the kept copy when the network fails; else the offline page
 *   versioned assets (x.1a2b3c4d.min.js)  cache first: their name changes when their content does
 *   other static files (CSS, JS, photos)  the kept copy at once, refreshed in the background
 * Feeds, open data, search indexes and live reload are never answered here: the browser fetches them exactly as
 * if no worker existed, so subscribers and search always get the network's answer.
 */
"use strict";

const VERSION = "1";
const SHELL = `ex-shell-v${VERSION}`;
const PAGES = `ex-pages-v${VERSION}`; // reader.js reads this name too (the offline page lists kept stories)
const ASSETS = `ex-assets-v${VERSION}`;
const LIMITS = { [PAGES]: 60, [ASSETS]: 250 };
const SCOPE = self.registration.scope;
const OFFLINE_PAGE = new URL("ngoai-tuyen/", SCOPE).href;

const PASS_THROUGH = /\.(?:xml|json|csv|rss|atom|txt|zip|pdf|wasm)$|\/(?:pagefind|search|livereload)\//;
const VERSIONED = /\.[0-9a-f]{8,}\.min\.(?:js|css)$/;
const STATIC = /\.(?:css|js|png|jpe?g|webp|avif|gif|svg|ico|woff2?)$/;

/** What kind of request this is, or null for one the worker must leave alone. */
function route(request) {
  if (request.method !== "GET" || request.headers.has("range")) return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return null;
  // Pull requests' previews are published under the site (pr-preview/pr-<n>/, README "Previews"): not this
  // site's pages, and soon gone; they have their own worker.
  if (url.href.startsWith(SCOPE + "pr-preview/")) return null;
  const path = url.pathname;
  if (PASS_THROUGH.test(path)) return null;
  if (request.mode === "navigate" || path.endsWith("/") || path.endsWith(".html")) return "page";
  if (VERSIONED.test(path)) return "versioned";
  if (STATIC.test(path)) return "static";
  return null;
}

/** One key per page: shared links carry tracking queries (?fbclid=…, ?zarsrc=…) that must not split the cache. */
function pageKey(href) {
  const url = new URL(href);
  const path = url.pathname.endsWith("/index.html") ? url.pathname.slice(0, -"index.html".length) : url.pathname;
  return url.origin + path;
}

async function keep(cacheName, key, response) {
  const cache = await caches.open(cacheName);
  await cache.put(key, response);
  // Keys come back in the order they were written: drop the oldest beyond the limit.
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - LIMITS[cacheName]))) await cache.delete(old);
}

async function networkFirst(event) {
  const key = pageKey(event.request.url);
  try {
    const response = await fetch(event.request);
    if (response.ok && response.type === "basic") {
      event.waitUntil(keep(PAGES, key, response.clone()).then(refreshOfflinePage));
    }
    return response;
  } catch (error) {
    return (await caches.match(key, { cacheName: PAGES })) || (await offlinePage()) || Response.error();
  }
}

/** This file never changes with the content, so the offline page it keeps is refreshed once a day instead. */
async function refreshOfflinePage() {
  const cache = await caches.open(SHELL);
  const kept = await cache.match(OFFLINE_PAGE);
  const age = kept ? Date.now() - (Date.parse(kept.headers.get("date") || "") || 0) : Infinity;
  if (age > 24 * 60 * 60 * 1000) await cache.add(OFFLINE_PAGE).catch(() => undefined);
}

/** The offline page, shown at the address the reader asked for: a <base> keeps its relative links working. */
async function offlinePage() {
  const cached = await caches.match(OFFLINE_PAGE, { cacheName: SHELL });
  if (!cached) return null;
  const html = (await cached.text()).replace(/<head>/i, `<head><base href="${OFFLINE_PAGE}">`);
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function cacheFirst(event) {
  const cached = await caches.match(event.request, { cacheName: ASSETS });
  if (cached) return cached;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(keep(ASSETS, event.request.url, response.clone()));
  return response;
}

async function staleWhileRevalidate(event) {
  const cached = await caches.match(event.request, { cacheName: ASSETS });
  const network = fetch(event.request).then((response) => {
    if (response.ok) return keep(ASSETS, event.request.url, response.clone()).then(() => response);
    return response;
  });
  if (!cached) return network;
  event.waitUntil(network.catch(() => undefined));
  return cached;
}

/** Keep what the reader just read, including what loaded before this worker took control of the page. */
async function remember(href) {
  let request;
  try {
    request = new Request(href, { credentials: "same-origin" });
  } catch (error) {
    return;
  }
  const kind = route(request);
  if (!kind) return;
  const cacheName = kind === "page" ? PAGES : ASSETS;
  const key = kind === "page" ? pageKey(href) : href;
  if (await caches.match(key, { cacheName })) return;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await keep(cacheName, key, response);
  } catch (error) {
    // Offline already: nothing to keep.
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.add(OFFLINE_PAGE))
      .catch(() => undefined) // a site without the offline page still gets offline stories
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  const current = new Set([SHELL, PAGES, ASSETS]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("ex-") && !current.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "remember" || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((url) => typeof url === "string").slice(0, 100);
  event.waitUntil(Promise.all(urls.map(remember)));
});

self.addEventListener("fetch", (event) => {
  const kind = route(event.request);
  if (kind === "page") event.respondWith(networkFirst(event));
  else if (kind === "versioned") event.respondWith(cacheFirst(event));
  else if (kind === "static") event.respondWith(staleWhileRevalidate(event));
});
