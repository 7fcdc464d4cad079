/* Reader-side extras, first-party and optional: every page works without them.
 *  - share buttons: copy the story's link; open the phone's share sheet (Zalo, Messenger, SMS…) through the Web
 *    Share API. Zalo offers no share link that works without loading its SDK, which we do not load.
 *  - offline reading: registers the service worker (sw.js at the site root) and asks it to keep the page just read.
 *  - the offline page: lists the stories kept on this device.
 *  - "back to top" on phones, which run without Material's script (partials/ex-material-loader.html).
 *  - the drawer on phones: closes after a tap on one of its entries, and Back closes it before leaving the page.
 *  - a collapsible table of contents at the head of long pages on phones (the sidebar's is for wide screens).
 *  - the header's search box, built into its frame before assets/exemplars/search.js drives it.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  // This file is <root>/assets/javascripts/reader.js: the site root is two folders up, under any sub-path.
  const root = new URL("../../", script ? script.src : location.href);
  const PAGES = "ex-pages-v1"; // the service worker's cache of pages (sw.js)
  const SVG = "http://www.w3.org/2000/svg";

  /** An element with its attributes and children (text or elements): markup built by the DOM, never parsed. */
  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  /** One of the theme's icons from its cached sprite, as partials/ex-icon.html draws it. */
  function icon(name) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    const use = document.createElementNS(SVG, "use");
    use.setAttribute("href", new URL(`assets/icons.svg#${name}`, root).href);
    svg.append(use);
    return svg;
  }

  // The drawer's list of sections on story and list pages is sent empty (theme/main.html): its entries are the tabs',
  // which the page carries already (Material shows the tabs on wide screens, the drawer on narrower ones).
  const drawerList = document.querySelector(".md-sidebar--primary .md-nav__list");
  if (drawerList && !drawerList.firstElementChild) {
    for (const tab of document.querySelectorAll(".md-tabs__link")) {
      const link = element("a", { href: tab.getAttribute("href"), class: "md-nav__link" }, tab.textContent.trim());
      drawerList.append(element("li", { class: "md-nav__item" }, link));
    }
  }
  // With it, its title (the site's logo and name) and its repository link, copied from the header's.
  const drawerTitle = document.querySelector(".md-sidebar--primary .md-nav__title[for=__drawer]");
  const headerLogo = document.querySelector(".md-header .md-logo");
  if (drawerTitle && !drawerTitle.firstChild && headerLogo) {
    const logo = headerLogo.cloneNode(true);
    logo.className = "md-nav__button md-logo";
    drawerTitle.append(logo, ` ${headerLogo.getAttribute("title") || ""} `);
  }
  const drawerSource = document.querySelector(".md-sidebar--primary .md-nav__source");
  const headerSource = document.querySelector(".md-header__source .md-source");
  if (drawerSource && !drawerSource.firstChild && headerSource) drawerSource.append(headerSource.cloneNode(true));

  // The header's search box (Material's markup and classes, so it looks and opens like Material's). It works only
  // with a script and is the same on every page: each page sends only its frame (partials/search.html, which says
  // where the index is), and the box is built here, from this cached file, before assets/exemplars/search.js
  // (deferred scripts run in document order) finds it. 1.5 kB less on every page.
  const searchFrame = document.querySelector("[data-ex-search]");
  if (searchFrame && !searchFrame.firstElementChild) {
    // The results' own styles, wanted only once the box is there (not before the page's first paint).
    document.head.append(element("link", { rel: "stylesheet", href: new URL("assets/exemplars/search.css", root).href }));
    searchFrame.setAttribute("role", "dialog");
    searchFrame.setAttribute("aria-label", "Tìm kiếm");
    searchFrame.append(
      element("label", { class: "md-search__overlay", for: "__search" }),
      element(
        "div",
        { class: "md-search__inner", role: "search" },
        element(
          "form",
          { class: "md-search__form", name: "ex-search" },
          element("input", {
            type: "text",
            class: "md-search__input",
            name: "q",
            "aria-label": "Tìm gương điển hình, địa phương, lĩnh vực",
            placeholder: "Tìm kiếm",
            autocapitalize: "off",
            autocorrect: "off",
            autocomplete: "off",
            spellcheck: "false",
            enterkeyhint: "search",
            required: "",
          }),
          element("label", { class: "md-search__icon md-icon", for: "__search" }, icon("magnify"), icon("arrow-left")),
          element(
            "nav",
            { class: "md-search__options", "aria-label": "Tìm kiếm" },
            element(
              "button",
              { type: "reset", class: "md-search__icon md-icon", title: "Xóa", "aria-label": "Xóa từ khóa", tabindex: "-1" },
              icon("close"),
            ),
          ),
        ),
        element(
          "div",
          { class: "md-search__output" },
          element(
            "div",
            { class: "md-search__scrollwrap", tabindex: "0", "data-md-scrollfix": "" },
            element(
              "details",
              { class: "ex-search__filters", hidden: "" },
              element("summary", { class: "ex-search__filter-toggle" }, "Bộ lọc: lĩnh vực, tỉnh, loại, năm"),
            ),
            element(
              "div",
              { class: "md-search-result" },
              element(
                "div",
                { class: "md-search-result__meta", "aria-live": "polite" },
                "Gõ tên người, tập thể, địa phương hoặc lĩnh vực, có dấu hay không dấu đều được.",
              ),
              element("ol", { class: "md-search-result__list" }),
              element("button", { type: "button", class: "ex-search__more", hidden: "" }, "Xem thêm kết quả"),
            ),
          ),
        ),
      ),
    );
  }

  function say(box, text) {
    const status = box && box.querySelector("[data-share-status]");
    if (status) status.textContent = text;
  }

  async function copyLink(url) {
    if (!navigator.clipboard || !window.isSecureContext) return false;
    try {
      await navigator.clipboard.writeText(url);
      return true;
    } catch (error) {
      return false;
    }
  }

  // The links point at the page itself ("./"); what is shared is its canonical address, the same on a mirror or a
  // preview and without the query a shared link arrived with.
  const canonical = document.querySelector('link[rel="canonical"]');
  for (const link of document.querySelectorAll("a[data-share]")) {
    const box = link.closest(".ex-share");
    const native = link.dataset.share === "native";
    if (native) link.hidden = false; // shown only where a script can open the share sheet or copy the link
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      const url = canonical ? canonical.href : link.href;
      if (native && navigator.share) {
        const title = document.querySelector('meta[property="og:title"]');
        try {
          await navigator.share({ title: title ? title.content : document.title, url });
        } catch (error) {
          // The reader closed the share sheet: nothing to say.
        }
        return;
      }
      if (await copyLink(url)) {
        say(box, native ? "Đã chép liên kết. Mở Zalo và dán vào cuộc trò chuyện." : "Đã chép liên kết.");
      } else {
        window.prompt("Chép liên kết này:", url);
      }
    });
  }

  // "Back to top" on phones, where Material's script (which otherwise shows this button) is not loaded: shown while
  // the reader scrolls back up, far from the top.
  const top = document.querySelector(".md-top");
  const materialRuns = () => document.documentElement.dataset.material === "on";
  if (top) {
    let last = window.scrollY;
    window.addEventListener(
      "scroll",
      () => {
        if (materialRuns()) return;
        const y = window.scrollY;
        top.hidden = !(y < last && y > 400);
        last = y;
      },
      { passive: true },
    );
    top.addEventListener("click", () => {
      if (!materialRuns()) window.scrollTo({ top: 0, behavior: "smooth" });
    });
  }

  // The drawer, on phones (Material's script, which drives it on wider screens, is not loaded there). Opening it
  // adds a history entry, so Android's Back button closes it instead of leaving the page; a tap on one of its
  // entries closes it, then goes where the entry leads (a section of this page: the drawer no longer covers it).
  const drawer = document.getElementById("__drawer");
  const drawerOpen = () => history.state && history.state.exDrawer;
  let afterDrawer = null; // what to do once Back has taken the drawer's entry away
  if (drawer) {
    drawer.addEventListener("change", () => {
      if (materialRuns()) return;
      if (drawer.checked && !drawerOpen()) history.pushState({ ...(history.state || {}), exDrawer: true }, "");
      else if (!drawer.checked && drawerOpen()) history.back();
    });
    window.addEventListener("popstate", () => {
      if (drawerOpen()) return;
      drawer.checked = false;
      if (afterDrawer) {
        const next = afterDrawer;
        afterDrawer = null;
        // After the browser has put back the scroll position of the entry Back returned to.
        requestAnimationFrame(() => setTimeout(next));
      }
    });
    const nav = document.querySelector(".md-sidebar--primary");
    if (nav) {
      nav.addEventListener("click", (event) => {
        const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
        if (!link || !drawer.checked || materialRuns() || event.ctrlKey || event.metaKey || event.shiftKey) return;
        const samePage = link.pathname === location.pathname && link.search === location.search && link.hash;
        event.preventDefault();
        const section = samePage ? () => {
          const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
          if (location.hash !== link.hash) location.hash = link.hash;
          else if (target) target.scrollIntoView();
        } : null;
        const go = section || (() => location.assign(link.href));
        drawer.checked = false;
        if (drawerOpen()) {
          afterDrawer = go;
          history.back();
        } else {
          go();
        }
      });
    }
  }

  // A table of contents at the head of long pages on phones, folded: plan pages run to twenty screens. Not on the
  // home page (its sections are what it shows), nor on pages of a few screens.
  const article = document.querySelector(".md-content article");
  const headings = article ? [...article.querySelectorAll("h2[id]")].filter((h) => !h.closest("details, nav")) : [];
  const home = location.pathname === root.pathname;
  const long = document.documentElement.scrollHeight > 3 * window.innerHeight;
  if (headings.length >= 3 && long && !home && !materialRuns()) {
    const box = document.createElement("details");
    box.className = "ex-toc";
    const summary = document.createElement("summary");
    summary.textContent = "Mục lục trang";
    const items = document.createElement("ol");
    for (const heading of headings) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${heading.id}`;
      link.textContent = heading.textContent.replace(/¶$/, "").trim();
      link.addEventListener("click", () => { box.open = false; });
      item.append(link);
      items.append(item);
    }
    box.append(summary, items);
    const title = article.querySelector("h1");
    if (title) title.after(box);
    else article.prepend(box);
  }

  const list = document.querySelector("[data-offline-list]");
  if (list && "caches" in window) {
    listKeptStories(list);
  }

  async function listKeptStories(target) {
    const cache = await caches.open(PAGES);
    // Only this site's stories: a pull request's preview, under a sub-path of the same host, shares the cache.
    const ours = (url) => url.startsWith(root.href) && /^guong\/[^/]+\/$/.test(url.slice(root.href.length));
    const requests = (await cache.keys()).filter((request) => ours(request.url));
    if (!requests.length) return;
    const items = [];
    for (const request of requests.reverse()) {
      const response = await cache.match(request);
      const html = response ? await response.text() : "";
      const heading = new DOMParser().parseFromString(html, "text/html").querySelector("h1");
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = request.url;
      link.textContent = heading ? heading.textContent.trim() : request.url;
      item.append(link);
      items.push(item);
    }
    target.replaceChildren(...items);
    const empty = document.querySelector("[data-offline-empty]");
    if (empty) empty.hidden = true;
  }

  // Not under `exemplars serve` (MkDocs' live-reload preview): a worker left on 127.0.0.1:8000 would later answer
  // for whatever else a developer serves there.
  const preview = typeof window.livereload === "function";
  if ("serviceWorker" in navigator && window.isSecureContext && !preview) {
    window.addEventListener("load", () => {
      navigator.serviceWorker
        .register(new URL("sw.js", root))
        .then(() => navigator.serviceWorker.ready)
        .then((registration) => {
          // The first visit loads before the worker controls the page: hand it what was loaded so it is kept.
          const urls = [location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
          if (registration.active) registration.active.postMessage({ type: "remember", urls });
        })
        .catch(() => undefined);
    });
  }
})();
