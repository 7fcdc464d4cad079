/*
 * Material's script (114 KB, 35 KB gzip; about a second of main-thread work on Lighthouse's emulated mid-range
 * phone) lays out what a phone never shows: the sticky sidebars and the table of contents of tablets and desktops,
 * the tabs. On screens narrower than 60em it is not loaded: the drawer, the header, the search box and the pages
 * work without it, and partials/ex-reader-head.html has already switched <html> from `no-js` to `js` before the
 * first paint. Wider screens load it as before; a narrow window that becomes wide (a rotated tablet, a resized
 * browser) loads it then. Its <script> tags come from Material's own block (kept in the <template
 * id="ex-material-scripts"> by main.html), so an upgrade of Material, with a new file name, needs no change here.
 * Other scripts of that block load everywhere.
 *
 * A deferred file rather than inline: the same 2.5 KB were repeated in every page (10,000 stories: 25 MB). It runs
 * once the document is parsed (the <template> is there), before DOMContentLoaded, and first of the deferred scripts
 * (its tag is in <head> before reader.js, which reads `data-material` set here), as the inline script did.
 */
(function () {
  var wide = matchMedia("(min-width: 60em)");
  var scripts = document.getElementById("ex-material-scripts").content.querySelectorAll("script");
  var MATERIAL = /(^|\/)assets\/javascripts\/bundle\.[0-9a-f]+\.min\.js$/;
  var started = false;

  function copy(old) {
    var script = document.createElement("script");
    for (var i = 0; i < old.attributes.length; i++) script.setAttribute(old.attributes[i].name, old.attributes[i].value);
    script.textContent = old.textContent;
    script.async = false; // in document order, like the deferred scripts they replace
    return script;
  }

  function load(material) {
    for (var i = 0; i < scripts.length; i++) {
      var src = scripts[i].getAttribute("src");
      if (Boolean(src && MATERIAL.test(src)) === material) document.body.appendChild(copy(scripts[i]));
    }
  }

  // Material's language switcher reads every <link rel="alternate"> as a translation of the site and asks for a
  // sitemap.xml beside it, once, when the page starts: beside our feeds (linh-vuc/<id>/feed.xml) that is a request
  // that fails on every field, province and story page. Our feeds are not translations: while Material starts,
  // the feed links are not "alternate" to it; they are again at once after (readers and extensions see them).
  function withoutFeedLinks(run) {
    var feeds = document.querySelectorAll('link[rel="alternate"][type]');
    for (var i = 0; i < feeds.length; i++) feeds[i].rel = "ex-feed";
    try { run(); } finally { for (var j = 0; j < feeds.length; j++) feeds[j].rel = "alternate"; }
  }

  // Material's helpers for its script (its partials/javascripts/base.html, which printed them inline in every page
  // and which theme/partials/javascripts/base.html now leaves empty: 0.4 kB a page): only that script reads them, so
  // they are set here, just before it loads, as Material writes them (its scope is the site's base, from __config).
  function helpers() {
    if (window.__md_scope) return; // printed by Material's partial where one of its inline scripts needs them
    var base = JSON.parse(document.getElementById("__config").textContent).base;
    window.__md_scope = new URL(base, location);
    window.__md_hash = function (e) { return [...e].reduce(function (e, _) { return (e << 5) - e + _.charCodeAt(0); }, 0); };
    window.__md_get = function (e, _, t) {
      _ = _ || localStorage; t = t || window.__md_scope;
      return JSON.parse(_.getItem(t.pathname + "." + e));
    };
    window.__md_set = function (e, _, t, a) {
      t = t || localStorage; a = a || window.__md_scope;
      try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (err) { /* storage full or refused */ }
    };
  }

  function loadMaterial() {
    if (started) return;
    started = true;
    document.documentElement.dataset.material = "on";
    // Material starts on DOMContentLoaded, which has usually passed when it arrives this way: answer that
    // subscription at once, then put addEventListener back.
    var add = document.addEventListener;
    document.addEventListener = function (type, listener, options) {
      if (type !== "DOMContentLoaded") return add.apply(this, arguments);
      var call = function (event) {
        withoutFeedLinks(function () {
          typeof listener === "function" ? listener.call(document, event) : listener.handleEvent(event);
        });
      };
      if (document.readyState === "loading") return add.call(this, type, call, options);
      var event = new Event(type);
      setTimeout(function () { call(event); });
    };
    var restore = function () { document.addEventListener = add; };
    helpers();
    load(true);
    var material = document.body.lastElementChild;
    material.addEventListener("load", restore);
    material.addEventListener("error", restore);
  }

  load(false);
  if (wide.matches) loadMaterial();
  else wide.addEventListener("change", function (event) { if (event.matches) loadMaterial(); });
})();
