/*
 * Search in the site's header, from the static index that build_tools/search.py writes into search/.
 *
 * A query fetches only what it needs: the manifest (filters), one small shard per word (and per pair of adjacent
 * words, to rank phrases and names), and the ten results it shows. Words are compared folded (no diacritics, đ → d),
 * exactly as the Python side folds them, so "nguoi tot" finds "người tốt"; a word typed with diacritics ranks its
 * exact spelling first. Everything from the index is put on the page as text, never as HTML.
 *
 * A phone's main thread is shared with the page it opens on (a `?q=` link opens the search during the load): the work
 * is cut into short tasks that yield to the browser between shards, query words and results, and the results are
 * put on the page in one go, so no task blocks input or painting for long (benchmarks/README.md, phone budget).
 */
(() => {
  "use strict";

  const root = document.querySelector("[data-ex-search]");
  if (!root) return;

  const FORMAT = "EXS5";
  const PAGE = 10;
  const MAX_CHIPS = 3;
  const EAGER_THUMBNAILS = 4; // results that fit on a phone's screen
  const COMPLETIONS = 5;
  const OTHER_FORM = 0.35; // a word typed with diacritics, found with other diacritics
  const COMPLETION = 0.6; // the word being typed, completed
  const PHRASE = 1.5; // two query words side by side in the text
  const TOKEN = /[\p{L}\p{N}]+/gu;
  const SAFE_PATH = /^[a-z0-9][a-z0-9\-/.]*$/;

  const searchBase = new URL(root.dataset.exSearch, document.baseURI);
  const siteRoot = new URL("../", searchBase);
  const toggle = document.getElementById("__search");
  const form = root.querySelector("form");
  const input = root.querySelector(".md-search__input");
  const filtersBox = root.querySelector(".ex-search__filters");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const more = root.querySelector(".ex-search__more");
  const hint = meta.textContent;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();

  let manifest = null; // Promise of the manifest
  let shards = new Map(); // piece name ("12", "12-0") → Promise<Map<term, variants>>
  let files = new Map(); // path → Promise of JSON payload (fragments, dictionary pages, filter lists)
  let generation = 0; // the newest query; older answers are dropped
  let shown = null; // {hits, fragments, terms} of the list on screen

  // --- text, exactly as build_tools/search.py ---------------------------------------------------------------

  const fold = (word) =>
    word.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

  const words = (text) => (text.normalize("NFC").toLowerCase().match(TOKEN) || []);

  const fnv1a = (text) => {
    let hash = 0x811c9dc5;
    for (const byte of encoder.encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash;
  };

  const prefixKey = (term) => term.slice(0, 2).replace(/[^a-z0-9]/g, "_");

  // Vietnamese digit grouping ("1.506"), as toLocaleString("vi-VN") writes it: the first Intl call loads the
  // locale's data, about 0.1 s of main thread on a slow phone, for one number.
  const thousands = (count) => String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ".");

  // --- yielding -------------------------------------------------------------------------------------------------

  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()();

  /** Lets the browser paint and handle input before the next step; a message, not setTimeout (clamped to 4 ms). */
  const pause = () =>
    globalThis.scheduler && typeof scheduler.yield === "function"
      ? scheduler.yield()
      : new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(null); });

  // --- fetching ---------------------------------------------------------------------------------------------

  class StaleIndex extends Error {}

  // Every piece is named by its own hash, which the manifest lists (`s/12.<hash>.bin`) and the piece carries: a
  // browser only ever combines the pieces of one build. A piece gone (the site was deployed again since the manifest
  // was fetched) is a stale manifest: fetched again (StaleIndex), not an error.
  const get = async (path, version, kind) => {
    const dot = path.lastIndexOf(".");
    const named = `${path.slice(0, dot)}.${version}${path.slice(dot)}`;
    const response = await fetch(new URL(named, searchBase), { credentials: "same-origin" });
    if (response.status === 404 || response.status === 410) throw new StaleIndex(path);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return kind === "json" ? response.json() : response.arrayBuffer();
  };

  const loadManifest = (reload = false) => {
    if (!manifest || reload) {
      shards = new Map();
      files = new Map();
      manifest = fetch(new URL("index.json", searchBase), { cache: reload ? "no-cache" : "default" }).then((r) => {
        if (!r.ok) throw new Error(`index.json: ${r.status}`);
        return r.json();
      });
      manifest.catch(() => { manifest = null; });
    }
    return manifest;
  };

  const json = (path, version) => {
    if (!files.has(path)) {
      files.set(path, get(path, version, "json").then((payload) => {
        if (payload.v !== version) throw new StaleIndex(path);
        return payload.x;
      }));
      files.get(path).catch(() => files.delete(path));
    }
    return files.get(path);
  };

  const binary = (path, version) =>
    get(path, version, "binary").then((buffer) => {
      const bytes = new Uint8Array(buffer);
      const end = 4 + version.length;
      if (decoder.decode(bytes.subarray(0, 4)) !== FORMAT || decoder.decode(bytes.subarray(4, end)) !== version) {
        throw new StaleIndex(path);
      }
      return new Reader(bytes, end);
    });

  class Reader {
    constructor(bytes, pos) { this.bytes = bytes; this.pos = pos; }
    varint() {
      let value = 0, scale = 1, byte;
      do { byte = this.bytes[this.pos++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
      return value;
    }
    string() { const n = this.varint(); const s = decoder.decode(this.bytes.subarray(this.pos, this.pos + n)); this.pos += n; return s; }
    docs(n) { const docs = new Uint32Array(n); let doc = 0; for (let i = 0; i < n; i++) docs[i] = doc += this.varint(); return docs; }
    weights(n) { const w = this.bytes.subarray(this.pos, this.pos + n); this.pos += n; return w; }
    /** Weights on their own: 0 then a byte each, or 1 + bits then a palette and places. */
    tierWeights(n) { const head = this.varint(); return head ? this.palette(n, head - 1) : this.weights(n).slice(); }
    /**
     * One written form's postings: count × 128 + layout, documents (gaps, a bitmap or a span but a few), weights
     * (bytes or a palette).
     * A long list (layout bit 4) carries only its best tier's weights, at their places in the list; the others are
     * 0 here, each at most `bound`, until the piece's second piece fills them in (`fillRest`). A long pair's list
     * (layout bit 5) carries only its best tier, documents and weights (`partial`): any other document may hold the
     * pair, at most at `bound`, until the second piece adds them.
     */
    postings() {
      const head = this.varint();
      const n = Math.floor(head / 128), layout = head % 128;
      if (layout & 32) {
        const top = this.varint();
        const docs = this.docs(top);
        const bound = this.varint();
        return { docs, weights: this.tierWeights(top), bound, rest: n - top, count: n, partial: true };
      }
      const docs = this.documents(layout, n);
      if (!(layout & 16)) return { docs, weights: layout & 7 ? this.palette(n, (layout & 7) - 1) : this.weights(n), bound: 0, count: n };
      const top = this.varint();
      const places = this.docs(top);
      const bound = this.varint();
      const best = this.tierWeights(top);
      const weights = new Uint8Array(n);
      for (let i = 0; i < top; i++) weights[places[i]] = best[i];
      return { docs, weights, bound, rest: n - top, count: n };
    }
    documents(layout, n) { return layout & 64 ? this.complement(n) : layout & 8 ? this.bitmap(n) : this.docs(n); }
    /** Every document of a span but a few, which are listed (a word in nearly every story). */
    complement(n) {
      const docs = new Uint32Array(n);
      const first = this.varint(), span = this.varint(), missing = this.docs(this.varint());
      for (let i = 0, j = 0, k = 0; i < span; i++) {
        if (j < missing.length && missing[j] === i) j++;
        else docs[k++] = first + i;
      }
      return docs;
    }
    bitmap(n) {
      const docs = new Uint32Array(n);
      const first = this.varint(), length = this.varint();
      for (let i = 0, k = 0; i < length; i++) {
        for (let byte = this.bytes[this.pos + i], doc = first + 8 * i; byte; byte >>= 1, doc++) {
          if (byte & 1) docs[k++] = doc;
        }
      }
      this.pos += length;
      return docs;
    }
    palette(n, bits) {
      const values = this.weights(this.varint());
      const weights = new Uint8Array(n).fill(values[0]);
      if (!bits) return weights;
      const mask = (1 << bits) - 1, bytes = this.bytes, at = this.pos;
      for (let i = 0, bit = 0; i < n; i++, bit += bits) {
        const low = at + (bit >> 3);
        weights[i] = values[((bytes[low] | (bytes[low + 1] << 8)) >> (bit & 7)) & mask];
      }
      this.pos += Math.ceil((n * bits) / 8);
      return weights;
    }
  }

  /** The hash the manifest lists for table `number` (`s`: tables of shards, `d`: tables of result groups). */
  const pieceHash = (index, table, number) => index[table].substr(number * index.w, index.w);

  /** The hash of piece `number`, from its table (`folder`, `size` pieces a table) whose hash is in `index[table]`. */
  const tabledHash = async (index, folder, table, size, number) => {
    const at = Math.floor(number / size);
    const hashes = await json(`${folder}/${at}.json`, pieceHash(index, table, at));
    return hashes.substr((number % size) * index.w, index.w);
  };

  /** A piece of terms (`s/<name>.bin`): term → its written forms' postings, or where its own piece is. */
  const piece = (name, version) => {
    if (!shards.has(name)) {
      shards.set(name, Promise.resolve(version).then((hash) => binary(`s/${name}.bin`, hash)).then(async (reader) => {
        await pause(); // pieces arrive together; decode each in a task of its own
        const terms = new Map();
        terms.name = name;
        terms.rest = reader.string(); // the hash of what its long lists leave out, "" if none
        terms.tiered = []; // those lists, in the order of that piece
        for (let count = reader.varint(); count > 0; count--) {
          const term = reader.string();
          const forms = reader.varint();
          if (!forms) { // a common term, in a piece of its own
            const own = reader.varint();
            terms.set(term, { own: `${name}-${own}`, hash: reader.string() });
            continue;
          }
          const variants = [];
          for (let v = forms; v > 0; v--) {
            const form = reader.string() || term;
            const variant = { form, ...reader.postings() };
            if (variant.rest) terms.tiered.push(variant);
            variants.push(variant);
          }
          terms.set(term, variants);
        }
        return terms;
      }));
      shards.get(name).catch(() => shards.delete(name));
    }
    return shards.get(name);
  };

  /** The piece holding a term: its shard, or the piece of its own that the shard names. */
  const holder = async (term, index) => {
    const number = fnv1a(term) % index.k;
    const terms = await piece(String(number), tabledHash(index, "h", "s", index.j, number));
    const entry = terms.get(term);
    return entry && entry.own ? piece(entry.own, entry.hash) : terms;
  };

  const lookup = async (term, index) => (await holder(term, index)).get(term) || [];

  /** What a piece's long lists left out, from its second piece (`w/<name>.bin`), put in place. */
  const fillRest = async (terms) => {
    if (!terms.rest || !terms.tiered.some((v) => v.rest)) return;
    if (!terms.filling) {
      terms.filling = binary(`w/${terms.name}.bin`, terms.rest).then((reader) => {
        for (const variant of terms.tiered) {
          if (variant.partial) {
            const others = reader.documents(reader.varint(), variant.rest);
            merge(variant, others, reader.tierWeights(variant.rest));
          } else {
            const others = reader.tierWeights(variant.rest);
            const weights = variant.weights;
            for (let i = 0, k = 0; k < others.length; i++) if (!weights[i]) weights[i] = others[k++];
          }
          variant.rest = 0;
          variant.bound = 0;
        }
      });
      terms.filling.catch(() => { terms.filling = null; });
    }
    return terms.filling;
  };

  /** A pair's best tier and its other documents, each in order, as one list in document order. */
  const merge = (variant, others, weights) => {
    const { docs: best, weights: bestWeights } = variant;
    const docs = new Uint32Array(best.length + others.length), all = new Uint8Array(docs.length);
    for (let i = 0, j = 0, k = 0; k < docs.length; k++) {
      if (j >= others.length || (i < best.length && best[i] < others[j])) {
        docs[k] = best[i]; all[k] = bestWeights[i++];
      } else {
        docs[k] = others[j]; all[k] = weights[j++];
      }
    }
    variant.docs = docs;
    variant.weights = all;
    variant.partial = false;
  };

  const filterDocs = (facet, value, index) => {
    const path = `f/${facet}/${value}.bin`;
    const option = (index.facets.find((f) => f.id === facet) || { values: [] }).values.find(([v]) => v === value);
    if (!option) return Promise.resolve(new Set());
    if (!files.has(path)) {
      files.set(path, binary(path, option[3]).then((reader) => new Set(reader.docs(reader.varint()))));
      files.get(path).catch(() => files.delete(path));
    }
    return files.get(path);
  };

  // --- query ------------------------------------------------------------------------------------------------

  /** The words of a query; the last one, still being typed, is completed from the dictionary. */
  const parse = (query) => {
    const typed = words(query);
    const terms = [];
    for (const written of new Set(typed)) {
      const folded = fold(written);
      terms.push({ written, folded, accented: folded !== written, completions: [], optional: false });
    }
    const typing = typed.length > 0 && /[\p{L}\p{N}]$/u.test(query.normalize("NFC"));
    const last = terms.find((t) => t.written === typed[typed.length - 1]);
    const sequence = typed.map(fold);
    const pairs = [...new Set(sequence.slice(1).map((word, i) => `${sequence[i]} ${word}`))];
    return { terms, typing, last, pairs };
  };

  const complete = async (parsed, index) => {
    const { last, typing } = parsed;
    if (!typing || !last) return;
    if (last.folded.length < 2) {
      // "nguyen v": rank by "v" if it is a word, but don't require it yet (nor the pair it ends)
      last.optional = parsed.terms.length > 1;
      if (last.optional) parsed.pairs = parsed.pairs.filter((pair) => !pair.endsWith(` ${last.folded}`));
      return;
    }
    const key = prefixKey(last.folded);
    const page = Object.prototype.hasOwnProperty.call(index.t, key) ? await json(`t/${key}.json`, index.t[key]) : [];
    last.completions = page
      .filter(([term]) => term !== last.folded && term.startsWith(last.folded))
      .slice(0, COMPLETIONS)
      .map(([term]) => term);
  };

  const idf = (df, n) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

  /**
   * Per query word: document → best weight (0–1) among its spellings and completions (`low`), and what it may be at
   * most (`high`), which differs only where a long list's weight is not fetched yet (0 until then, at most its
   * list's `bound`).
   */
  const matchTerm = async (term, lists) => {
    const low = new Map();
    const bounded = lists.some(([variants]) => variants.some((v) => v.rest));
    const high = bounded ? new Map() : low;
    for (const [variants, factor] of lists) {
      for (const { form, docs, weights, bound, rest } of variants) {
        const f = factor * (term.accented && form !== term.written && factor === 1 ? OTHER_FORM : 1);
        for (let i = 0; i < docs.length; i++) {
          const s = (weights[i] / 255) * f;
          if (!(low.get(docs[i]) >= s)) low.set(docs[i], s);
        }
        if (!bounded) continue;
        const most = (bound / 255) * f;
        for (let i = 0; i < docs.length; i++) {
          const s = rest && !weights[i] ? most : (weights[i] / 255) * f;
          if (!(high.get(docs[i]) >= s)) high.set(docs[i], s);
        }
      }
      await pause();
    }
    return { low, high };
  };

  const selectedFilters = () =>
    [...filtersBox.querySelectorAll("select")].filter((s) => s.value).map((s) => [s.name, s.value]);

  const summariseFilters = () => {
    const count = selectedFilters().length;
    filtersBox.querySelector("summary").textContent = count ? `Bộ lọc (${count} đang chọn)` : "Bộ lọc: lĩnh vực, tỉnh, loại, năm";
  };

  /**
   * Every matching document, ranked. A long list's weights outside its best tier are fetched only when the first
   * page cannot be told without them: each hit has its score as far as known (`score`) and the most it may reach
   * (`high`); when the first `PAGE` hits are known exactly and no other may reach the last of them, they are the
   * same, in the same order, as with every weight, and the rest waits until the reader asks for more (`complete`).
   */
  const rank = async (parsed, lists, pairs, allowed, index, exact) => {
    const { terms } = parsed;
    const matches = [];
    for (let i = 0; i < terms.length; i++) matches.push(await matchTerm(terms[i], lists[i]));
    const required = terms.filter((t) => !t.optional).length;
    const weights = matches.map((m) => idf(m.low.size, index.n));
    const scored = new Map();
    matches.forEach(({ low, high }, i) => {
      for (const [doc, s] of low) {
        if (!allowed(doc)) continue;
        const hit = scored.get(doc) || { doc, score: 0, high: 0, found: 0 };
        hit.score += weights[i] * s;
        hit.high += weights[i] * (low === high ? s : high.get(doc));
        if (!terms[i].optional) hit.found += 1;
        scored.set(doc, hit);
      }
    });
    await pause();
    for (const variants of pairs) {
      for (const { docs, weights: w, bound, rest, count, partial } of variants) {
        const weight = PHRASE * idf(count, index.n);
        if (partial) { // only the best tier is known: any other hit may hold the pair, at most at `bound`
          const best = new Set(docs);
          for (const hit of scored.values()) if (!best.has(hit.doc)) hit.high += (weight * bound) / 255;
        }
        for (let i = 0; i < docs.length; i++) {
          const hit = scored.get(docs[i]);
          if (!hit) continue;
          if (rest && !w[i]) {
            hit.high += (weight * bound) / 255;
          } else {
            const s = (weight * w[i]) / 255;
            hit.score += s;
            hit.high += s;
          }
        }
      }
    }
    await pause();
    let hits = [...scored.values()];
    let approximate = false;
    const full = hits.filter((h) => h.found === required);
    if (full.length || !hits.length) {
      hits = full;
    } else {
      approximate = true; // no document has every word: show those that have the most
      const best = Math.max(...hits.map((h) => h.found));
      hits = hits.filter((h) => h.found === best);
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    if (exact || hits.every((h) => h.high === h.score)) return { hits, approximate, partial: false };
    // The first page stands if its hits are exact and no other hit could reach the last of them.
    const page = hits.slice(0, PAGE);
    const last = page[page.length - 1];
    const stands =
      page.every((h) => h.high === h.score) &&
      hits.slice(PAGE).every((h) => h.high < last.score || (h.high === last.score && h.doc > last.doc));
    return stands ? { hits, approximate, partial: true } : null;
  };

  const search = async (query, filters, index) => {
    const parsed = parse(query);
    await complete(parsed, index);
    const { terms } = parsed;
    const [lists, pairs, filterSets] = await Promise.all([
      Promise.all(
        terms.map(async (t) => [
          [await lookup(t.folded, index), 1],
          ...(await Promise.all(t.completions.map((c) => lookup(c, index)))).map((variants) => [variants, COMPLETION]),
        ]),
      ),
      Promise.all(parsed.pairs.map((pair) => lookup(pair, index))),
      Promise.all(filters.map(([facet, value]) => filterDocs(facet, value, index))),
    ]);
    const allowed = (doc) => filterSets.every((set) => set.has(doc));
    await pause();
    if (!terms.length) {
      let hits = [];
      if (filterSets.length) {
        const smallest = filterSets.reduce((a, b) => (a.size <= b.size ? a : b));
        hits = [...smallest].filter(allowed).sort((a, b) => a - b).map((doc) => ({ doc, score: 0 }));
      }
      return { hits, approximate: false, parsed };
    }
    const words = [...terms.map((t) => t.folded), ...terms.flatMap((t) => t.completions), ...parsed.pairs];
    const everything = async () => {
      await Promise.all([...new Set(await Promise.all(words.map((w) => holder(w, index))))].map(fillRest));
      return rank(parsed, lists, pairs, allowed, index, true);
    };
    const ranked = (await rank(parsed, lists, pairs, allowed, index, false)) || (await everything());
    const result = { ...ranked, parsed };
    // More than the first page: every weight, so that the order goes on as it would have with all of them.
    if (ranked.partial) result.complete = async () => ({ ...(await everything()), parsed });
    return result;
  };

  // --- showing results --------------------------------------------------------------------------------------

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };

  /** Whether a word of a result is a query word; memoised, as a story repeats its words and folding is costly. */
  const matcher = (parsed) => {
    const exact = new Set(parsed.terms.map((t) => t.folded));
    const prefix = parsed.typing && parsed.last ? parsed.last.folded : null;
    const known = new Map();
    return (word) => {
      let found = known.get(word);
      if (found === undefined) {
        const folded = fold(word);
        found = exact.has(folded) || (prefix !== null && folded.startsWith(prefix));
        known.set(word, found);
      }
      return found;
    };
  };

  /** Text into `node`, every query word wrapped in <mark>; returns how many were marked. */
  const highlight = (node, text, isMatch) => {
    let last = 0, marked = 0;
    for (const found of text.matchAll(TOKEN)) {
      if (!isMatch(found[0].toLowerCase())) continue;
      node.append(text.slice(last, found.index), element("mark", "", found[0]));
      last = found.index + found[0].length;
      marked++;
    }
    node.append(text.slice(last));
    return marked;
  };

  /** About 30 words of the story around its densest cluster of query words. */
  const excerpt = (text, isMatch) => {
    const positions = [...text.matchAll(TOKEN)];
    const lower = positions.map((found) => found[0].toLowerCase());
    const matched = lower.map(isMatch);
    let best = -1, bestCount = 0;
    for (let i = 0; i < positions.length; i++) {
      if (!matched[i]) continue;
      const seen = new Set();
      for (let j = i; j < Math.min(positions.length, i + 25); j++) {
        if (matched[j]) seen.add(lower[j]);
      }
      if (seen.size > bestCount) { best = i; bestCount = seen.size; }
    }
    if (best < 0) return null;
    const from = positions[Math.max(0, best - 6)].index;
    const end = positions[Math.min(positions.length - 1, best + 28)];
    const to = end.index + end[0].length;
    return (from > 0 ? "…" : "") + text.slice(from, to) + (to < text.length ? "…" : "");
  };

  const labels = (index) => {
    const byFacet = {};
    for (const facet of index.facets) byFacet[facet.id] = new Map(facet.values.map(([v, name]) => [v, name]));
    return byFacet;
  };

  const link = (path) => (typeof path === "string" && SAFE_PATH.test(path) ? new URL(path, siteRoot).href : null);

  const renderHit = (fragment, isMatch, names, eager) => {
    const item = element("li", "md-search-result__item");
    const anchor = element("a", "md-search-result__link ex-result");
    const href = link(fragment.u);
    if (!href) return null;
    anchor.href = href;
    const article = element("article", "md-search-result__article ex-result__article");
    const thumbnail = link(fragment.i);
    if (thumbnail) {
      const img = element("img", "ex-result__thumb");
      // The first results are on screen at once: fetch their thumbnails now, the others when scrolled to.
      Object.assign(img, { src: thumbnail, alt: "", width: 64, height: 64, decoding: "async" });
      img.loading = eager ? "eager" : "lazy";
      article.append(img);
    }
    const body = element("div", "ex-result__body");
    const place = fragment.r ? `${fragment.p} (trước là ${fragment.r})` : fragment.p;
    const facts = [names.loai.get(fragment.k) || "", place, fragment.d].filter(Boolean).join(" · ");
    const factsLine = element("p", "ex-result__facts");
    // A sample profile (`m`) says so first, as its card and its story do.
    if (fragment.m) factsLine.append(element("strong", "ex-result__sample", "Dữ liệu mẫu"), " ");
    factsLine.append(facts);
    body.append(factsLine);
    const title = element("p", "ex-result__title");
    highlight(title, fragment.t, isMatch);
    body.append(title);
    if (fragment.f && fragment.f.length) {
      const fields = element("p", "ex-result__fields");
      for (const name of fragment.f.slice(0, MAX_CHIPS)) fields.append(element("span", "ex-chip", name), " ");
      if (fragment.f.length > MAX_CHIPS) fields.append(element("span", "ex-chip", `+${fragment.f.length - MAX_CHIPS} lĩnh vực`));
      body.append(fields);
    }
    const summary = element("p", "ex-result__excerpt");
    if (!highlight(summary, fragment.s, isMatch) && fragment.b) {
      const passage = excerpt(fragment.b, isMatch);
      if (passage) {
        summary.replaceChildren();
        highlight(summary, passage, isMatch);
      }
    }
    body.append(summary);
    article.append(body);
    anchor.append(article);
    item.append(anchor);
    return item;
  };

  /** The next page of `result`, or its first with `heading` (the count), swapped for the list on screen at once. */
  const showPage = async (index, token, result, heading = null) => {
    const { hits, parsed } = result;
    const start = heading === null ? list.children.length : 0;
    const page = hits.slice(start, start + PAGE);
    // What a result shows: item `doc % g` of file `doc / g` (`g` results a file; one request for two in one file).
    const fragments = await Promise.all(
      page.map(async (hit) => {
        // Its group's hash is in table `group / i`, whose hash the manifest lists.
        const group = Math.floor(hit.doc / index.g);
        const hash = await tabledHash(index, "i", "d", index.i, group);
        return json(`d/${group}.json`, hash).then((items) => items[hit.doc % index.g]);
      }),
    );
    const names = labels(index);
    const isMatch = matcher(parsed);
    const items = document.createDocumentFragment();
    for (const fragment of fragments) {
      await pause(); // one result a task: finding a story's excerpt is the costly part
      if (token !== generation) return;
      const item = renderHit(fragment, isMatch, names, start === 0 && items.childNodes.length < EAGER_THUMBNAILS);
      if (item) items.append(item);
    }
    // One layout for the page of results, not ten; a new query's list replaces the old one only when ready.
    if (heading === null) {
      list.append(items);
    } else {
      shown = result;
      meta.textContent = heading;
      list.replaceChildren(items);
    }
    more.hidden = list.children.length >= hits.length;
  };

  const describe = (count, approximate, query) => {
    if (!count) return `Không tìm thấy kết quả cho “${query}”. Hãy thử ít từ hơn, kiểm tra chính tả hoặc bỏ bớt bộ lọc.`;
    const found = `${thousands(count)} kết quả`;
    return approximate ? `${found} gần đúng: không có trang nào chứa đủ mọi từ đã gõ.` : found;
  };

  // What the list on screen answers (read by the browser tests and the benchmark to know a search has finished).
  const answered = (query, filters) => {
    meta.dataset.query = query;
    meta.dataset.filters = filters.map((pair) => pair.join("=")).join("&");
  };

  const run = async (retry = true) => {
    const token = ++generation;
    const query = input.value.trim();
    const filters = selectedFilters();
    if (!words(query).length && !filters.length) {
      list.replaceChildren();
      more.hidden = true;
      meta.textContent = hint;
      answered(query, filters);
      remember(query, filters);
      return;
    }
    try {
      const index = await loadManifest();
      const result = await search(query, filters, index);
      if (token !== generation) return;
      await showPage(index, token, result, describe(result.hits.length, result.approximate, query));
      if (token === generation) answered(query, filters);
      if (token === generation) remember(query, filters);
    } catch (error) {
      if (error instanceof StaleIndex && retry) {
        await loadManifest(true); // the site was rebuilt since the manifest was fetched
        return run(false);
      }
      if (token !== generation) return;
      meta.textContent = "Không tải được dữ liệu tìm kiếm. Hãy kiểm tra kết nối mạng rồi thử lại.";
      answered(query, filters);
      console.error(error);
    }
  };

  // --- the box ----------------------------------------------------------------------------------------------

  /** Shows the filters' toggle once the manifest is here; their menus are built when first opened. */
  const showFilters = async () => {
    if (!filtersBox.hidden) return;
    await loadManifest();
    summariseFilters();
    filtersBox.hidden = false;
  };

  // A hundred-odd options: built on demand, not while the search opens with the page.
  const buildFilters = async () => {
    if (filtersBox.querySelector(".ex-search__filter-grid")) return;
    const index = await loadManifest();
    if (filtersBox.querySelector(".ex-search__filter-grid")) return;
    const grid = element("div", "ex-search__filter-grid");
    filtersBox.append(grid);
    for (const facet of index.facets) {
      if (!facet.values.length) continue;
      const label = element("label", "ex-search__filter");
      label.append(element("span", "ex-search__filter-name", facet.label));
      const select = element("select");
      select.name = facet.id;
      select.append(new Option("Tất cả", ""));
      for (const [value, name, count] of facet.values) select.append(new Option(`${name} (${count})`, value));
      select.addEventListener("change", () => { summariseFilters(); run(); });
      label.append(select);
      grid.append(label);
    }
  };
  const offline = () => { meta.textContent = "Không tải được dữ liệu tìm kiếm. Hãy kiểm tra kết nối mạng."; };
  filtersBox.addEventListener("toggle", () => { if (filtersBox.open) buildFilters().catch(offline); });

  // --- the address bar ----------------------------------------------------------------------------------------
  // The query and the filters live in the address (?q=…&linh-vuc=…): Back from a result, a refresh or a shared
  // link brings them back. Opening the search adds a history entry, so a phone's Back button closes the search
  // before it leaves the page. The facets' names are build_tools/search.py's FACETS.
  const FACETS = ["linh-vuc", "tinh", "loai", "nam"];
  const address = (query, filters) => {
    const url = new URL(window.location.href);
    for (const key of ["q", ...FACETS]) url.searchParams.delete(key);
    if (query) url.searchParams.set("q", query);
    for (const [facet, value] of filters) url.searchParams.set(facet, value);
    return url.href;
  };
  const remember = (query, filters) => {
    if (toggle.checked) history.replaceState(history.state, "", address(query, filters));
  };
  const forget = () => history.replaceState(history.state, "", address("", []));
  const opened = () => history.state && history.state.exSearch;

  const open = () => {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    showFilters().catch(offline);
  };

  // Opened by a tap, a key or the address: the page's history gets one entry for it (Back closes the search).
  toggle.addEventListener("change", () => {
    if (toggle.checked && !opened()) history.pushState({ ...(history.state || {}), exSearch: true }, "");
    if (!toggle.checked && opened()) history.back(); // closed on the page: its entry goes too
    else if (!toggle.checked) forget();
  });
  window.addEventListener("popstate", () => {
    if (opened()) return;
    if (toggle.checked) {
      toggle.checked = false;
      input.blur();
    }
    forget();
  });

  const close = () => {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    input.blur();
  };

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  input.addEventListener("focus", open);
  // The box gets the focus once it has slid in, if it is still open then: a reader who closed it at once (a quick
  // tap on the arrow) would otherwise have it opened again by the focus.
  toggle.addEventListener("change", () => {
    if (!toggle.checked) input.blur();
    else if (document.activeElement !== input) {
      setTimeout(() => { if (toggle.checked && document.activeElement !== input) input.focus(); }, 250);
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  form.addEventListener("reset", () => setTimeout(() => { run(); input.focus(); }));
  const showMore = async () => {
    const index = await loadManifest();
    const token = generation;
    if (shown.complete) {
      const whole = await shown.complete(); // every weight now; the page on screen was already in this order
      if (token !== generation) return;
      shown = whole;
    }
    await showPage(index, token, shown);
  };
  more.addEventListener("click", () => showMore().catch(offline));

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); close(); return; }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = [...list.querySelectorAll("a")];
    if (!links.length) return;
    const at = links.indexOf(document.activeElement);
    const next = event.key === "ArrowDown" ? at + 1 : at - 1;
    event.preventDefault();
    if (next < 0) input.focus(); else links[Math.min(next, links.length - 1)].focus();
  });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || toggle.checked) return;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      input.focus();
    }
  });

  // A link to any page with ?q=… (and filters) opens the search with that query: shared searches, the address
  // bar, Back from a result, a refresh.
  const params = new URLSearchParams(window.location.search);
  const shared = params.get("q");
  const sharedFilters = FACETS.filter((facet) => params.get(facet)).map((facet) => [facet, params.get(facet)]);
  if (shared || sharedFilters.length) {
    input.value = shared || "";
    loadManifest(); // on its way while the page paints
    open();
    const restore = async () => {
      if (sharedFilters.length) {
        await buildFilters();
        for (const [facet, value] of sharedFilters) {
          const select = filtersBox.querySelector(`select[name="${facet}"]`);
          if (select && [...select.options].some((option) => option.value === value)) select.value = value;
        }
        summariseFilters();
        filtersBox.open = true;
      }
      await run();
    };
    // The page's first frame is painted before the search takes the main thread (Largest Contentful Paint).
    requestAnimationFrame(() => setTimeout(() => restore().catch(offline)));
  }
})();
