// The portal's search worker: answers Material's search messages (SETUP, READY, QUERY,
// RESULT; Material lets a site bring its own worker through `config.search`) from the index
// hooks/search/index.py prepared at build time. Nothing is indexed in the browser: a query
// fetches the chunks holding its words and the pages it shows in full, and keeps them for the
// next query. Written for the browsers Material supports, without a build step.
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const PREFIX_WEIGHT = 0.6;      // a word the reader is still typing counts less than a whole word
const COVERAGE_EXPONENT = 2;    // a section with every query word beats one with a few, strongly:
                                // words count by their rarity, so a missing "who" costs less
                                // than a missing "rollback"
const PASSING_MENTION = 0.25;   // a word scoring under this share of its best section counts
                                // towards coverage in proportion: a passing mention of "rollback"
                                // does not make a section about who may act cover "who can roll back"
const FALLBACK_SUFFIX = 4;      // an unknown word may be a known stem plus this many letters
const TEASERS_PER_PAGE = 5;     // sections of a page shown with their text; Material folds the rest
                                // under "n more on this page", where a title is enough
const SECTIONS_PER_PAGE = 12;   // sections listed under a page: more is a page to open, not a list
const PREFETCH_DELAY_MS = 300;  // a reader who keeps typing gets the connections to themselves

let site;                       // base URL of the site
let manifest;                   // config.portal from search_index.json
let pages = [];                 // Material's docs: one per page, in index order
let pageOfSection;              // section id -> page index
let firstSection;               // page index -> its first section id
let sectionCount = 0;
let separator;
let stopWords;
let synonymsByFirst;            // first stem -> [{phrase, term}], longest phrase first
let synonymWords;               // surface form -> stem, for words only the synonym list knows
let suggest = false;
const loaded = new Map();       // file -> Promise of its parsed content
const scripts = {};             // file -> content, filled by the offline build's script files

// --- Loading -------------------------------------------------------------------------------

function workerUrl() {
  // Under the iframe-worker shim (offline build, file://) the worker runs as a page script.
  if (typeof document !== "undefined") {
    const script = document.querySelector("script[src]");
    if (script) return script.src;
  }
  return self.location.href;
}

self.__portalSearch = (file, content) => { scripts[file] = content; };

function load(file) {
  let promise = loaded.get(file);
  if (!promise) {
    const url = new URL("search/" + file, site).href;
    promise = manifest.format === "js"
      ? Promise.resolve(importScripts(url)).then(() => scripts[file])
      : fetch(url).then(response => {
          if (!response.ok) throw new Error(`${url}: ${response.status}`);
          return response.json();
        });
    promise = promise.catch(error => { loaded.delete(file); throw error; });
    loaded.set(file, promise);
  }
  return promise;
}

function chunkFor(key) {
  const chunks = manifest.chunks;
  let low = 0, high = chunks.length - 1, found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (chunks[middle][0] <= key) { found = middle; low = middle + 1; } else high = middle - 1;
  }
  return found < 0 ? null : chunks[found][1];
}

async function entriesFor(word) {
  const file = chunkFor(word.slice(0, manifest.minPrefix));
  if (!file) return {};
  const chunk = await load(file);
  if (!chunk.__forms) {
    const forms = new Map();
    for (const [stem, entry] of Object.entries(chunk))
      for (const form of entry[0]) forms.set(form, stem);
    Object.defineProperty(chunk, "__forms", { value: forms });
  }
  return chunk;
}

// --- Queries -------------------------------------------------------------------------------

function normalise(token) {
  return token.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

// Identifiers pasted whole (app.current_tenant_id, celery-worker, HighQueueDepth) are also
// looked up as written, as analysis.py indexes them: where they end, and what they may hold.
const IDENTIFIER_END = /[\s{}()[\]"'`,;|=<>]+|&[a-z]+;/;
const IDENTIFIER = /^[\p{L}\p{N}_.\-:/]+$/u;

function compounds(text) {
  const found = [];
  for (const run of text.split(IDENTIFIER_END)) {
    const compound = normalise(run);
    if (compound.length > manifest.minPrefix && IDENTIFIER.test(compound)
        && run.split(separator).filter(Boolean).length > 1)
      found.push(compound);
  }
  return found;
}

function words(text) {
  const result = [];
  for (const token of text.split(separator)) {
    const word = token && normalise(token.replace(/&(lt|gt|amp|quot);/g, " "));
    if (word && !stopWords.has(word)) result.push(word);
  }
  return result;
}

// Material's query syntax: "quoted words" and +word are required, -word excludes.
function parse(query) {
  const parts = [];
  query.replace(/([+-]?)"([^"]*)"|(\S+)/g, (_, sign, quoted, plain) => {
    if (quoted !== undefined) {
      const presence = sign === "-" ? -1 : 1;
      for (const word of words(quoted)) parts.push({ word, presence });
      for (const word of compounds(quoted)) parts.push({ word, presence, compound: true });
    } else {
      const presence = plain.startsWith("+") ? 1 : plain.startsWith("-") ? -1 : 0;
      const text = plain.replace(/^[+-]+|[*~^][\d.]*$/g, "").replace(/^(title|text|tags):(?=\S)/, "");
      for (const word of words(text)) parts.push({ word, presence });
      for (const word of compounds(text)) parts.push({ word, presence, compound: true });
    }
    return "";
  });
  return parts;
}

// Resolve a word to its stem: as written if the pages use it, else the longest known stem it
// starts with ("restarting" -> "restart"), else the synonym list's own words.
function resolve(word, chunk) {
  const exact = chunk.__forms.get(word) ?? synonymWords.get(word);
  if (exact) return exact;
  for (let cut = word.length - 1; cut >= Math.max(manifest.minPrefix, word.length - FALLBACK_SUFFIX); cut--) {
    const stem = word.slice(0, cut);
    if (chunk[stem]) return stem;
  }
  return null;
}

function prefixCandidates(word, chunk, stem) {
  if (word.length < manifest.minPrefix) return [];
  const found = [];
  for (const [candidate, entry] of Object.entries(chunk)) {
    if (candidate === stem) continue;
    let best = 0;
    for (const form of entry[0])
      if (form.startsWith(word)) best = Math.max(best, word.length / form.length);
    if (best) found.push([entry, PREFIX_WEIGHT * best, candidate]);
  }
  return found;
}

// One slot per query word, or per synonym phrase found among the query's words.
async function slotsFor(all) {
  const parts = all.filter(part => !part.compound);
  const identifiers = all.filter(part => part.compound);
  const found = await Promise.all(identifiers.map(part => entriesFor(part.word)));
  const chunks = await Promise.all(parts.map(part => entriesFor(part.word)));
  const stems = parts.map((part, i) => resolve(part.word, chunks[i]) ?? part.word);
  const slots = [];
  for (let i = 0; i < parts.length;) {
    const match = (synonymsByFirst.get(stems[i]) || [])
      .find(({ phrase }) => phrase.every((stem, j) => stems[i + j] === stem));
    if (match) {
      const group = parts.slice(i, i + match.phrase.length);
      const chunk = await entriesFor(match.term);
      const entry = chunk[match.term];
      slots.push({
        words: group.map(part => part.word),
        presence: Math.max(...group.map(part => part.presence)) || Math.min(...group.map(part => part.presence)),
        candidates: entry ? [[entry, 1, match.term]] : [],
      });
      i += match.phrase.length;
      continue;
    }
    const chunk = chunks[i], stem = stems[i];
    const candidates = chunk[stem] ? [[chunk[stem], 1, stem]] : [];
    candidates.push(...prefixCandidates(parts[i].word, chunk, stem));
    slots.push({ words: [parts[i].word], presence: parts[i].presence, candidates });
    i += 1;
  }
  identifiers.forEach((part, i) => {
    const stem = found[i].__forms.get(part.word);
    if (stem) slots.push({ words: [part.word], presence: part.presence, candidates: [[found[i][stem], 1, stem]],
                           identifier: true });
  });
  return slots;
}

function rarity(slot) {
  let best = 0;
  for (const [entry, weight] of slot.candidates) {
    const found = entry[1].length / 2;
    best = Math.max(best, weight * Math.log(1 + (sectionCount - found + 0.5) / (found + 0.5)));
  }
  return best;
}

function score(slots) {
  const wanted = slots.filter(slot => slot.presence >= 0);
  // An identifier slot repeats its parts' words: it adds to a section's score but does not
  // count towards coverage, or one rare spelling would outweigh every other word.
  const rarities = wanted.map(slot => slot.identifier ? 0 : rarity(slot));
  const allRarity = rarities.reduce((a, b) => a + b, 0) || 1;
  const totals = new Map();             // section -> [sum, matched slot bitmask]
  const excluded = new Set();
  wanted.forEach((slot, index) => {
    const best = new Map();
    for (const [entry, weight] of slot.candidates) {
      const postings = entry[1];
      for (let i = 0, section = 0; i < postings.length; i += 2) {
        section += postings[i];
        const value = postings[i + 1] * weight;
        if (!(best.get(section) >= value)) best.set(section, value);
      }
    }
    let strongest = 0;
    for (const value of best.values()) strongest = Math.max(strongest, value);
    for (const [section, value] of best) {
      const covered = rarities[index] * Math.min(1, value / (PASSING_MENTION * strongest));
      const total = totals.get(section);
      if (total) { total[0] += value; total[1] |= 1 << index; total[2] += covered; }
      else totals.set(section, [value, 1 << index, covered]);
    }
  });
  for (const slot of slots.filter(slot => slot.presence < 0))
    for (const [entry] of slot.candidates.slice(0, 1))
      for (let i = 0, section = 0; i < entry[1].length; i += 2) excluded.add(section += entry[1][i]);
  let required = 0;
  wanted.forEach((slot, index) => { if (slot.presence > 0) required |= 1 << index; });
  const sections = new Map();
  for (const [section, [sum, mask, matched]] of totals) {
    if ((mask & required) !== required || excluded.has(section)) continue;
    sections.set(section, { score: sum * (matched / allRarity) ** COVERAGE_EXPONENT / manifest.scoreScale, mask });
  }
  return { wanted, sections };
}

// --- Results in Material's shape -----------------------------------------------------------

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function matcher(slots) {
  const forms = new Set(), prefixes = [];
  for (const slot of slots) {
    if (slot.presence < 0) continue;
    for (const [entry] of slot.candidates) for (const form of entry[0]) forms.add(form);
    for (const word of slot.words) if (word.length >= manifest.minPrefix) prefixes.push(word);
  }
  const isMatch = token => {
    const word = normalise(token);
    return word !== "" && (forms.has(word) || prefixes.some(prefix => word.startsWith(prefix)));
  };
  // A cheap test first: most blocks of a long section hold none of the words.
  const parts = [...forms, ...prefixes].filter(Boolean).map(escapeRegExp);
  isMatch.mayHold = parts.length ? new RegExp(parts.join("|"), "i") : { test: () => false };
  return isMatch;
}

// Wrap matching words of a text run in <mark>, splitting like the index did.
function markText(text, isMatch) {
  let out = "", index = 0;
  const pattern = new RegExp(separator.source, "g");
  const emit = end => {
    const token = text.slice(index, end);
    out += token && isMatch(token) ? `<mark>${token}</mark>` : token;
  };
  for (let match; (match = pattern.exec(text));) {
    emit(match.index);
    out += match[0];
    index = match.index + match[0].length;
    if (match[0].length === 0) pattern.lastIndex++;
  }
  emit(text.length);
  return out;
}

function mark(html, isMatch) {
  return html.replace(/(<[^>]*>)|([^<]+)/g, (_, tag, text) => tag || markText(text, isMatch));
}

// Material's teaser: at most two top-level blocks of the section, those holding a match.
function teaser(html, isMatch) {
  const blocks = [];
  let depth = 0, start = 0;
  const tags = /<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g;
  for (let tag; (tag = tags.exec(html));) {
    if (tag[1]) {
      depth = Math.max(0, depth - 1);
      if (depth === 0) { blocks.push(html.slice(start, tags.lastIndex)); start = tags.lastIndex; }
    } else if (!tag[3] && !/^(br|hr|img|input|wbr)$/i.test(tag[2])) {
      if (depth === 0 && tag.index > start) { blocks.push(html.slice(start, tag.index)); start = tag.index; }
      depth++;
    }
  }
  if (start < html.length) blocks.push(html.slice(start));
  const hits = [];
  for (const block of blocks) {
    if (!isMatch.mayHold.test(block)) continue;
    const marked = mark(block, isMatch);
    if (marked.includes("<mark>") && hits.push(marked) === 2) break;
  }
  return hits.length ? hits.join("") : blocks.filter(block => block.trim()).slice(0, 2).join("");
}

function termsOf(slots, mask) {
  const terms = {};
  slots.forEach((slot, index) => {
    for (const word of slot.words) terms[word] = terms[word] || Boolean(mask & (1 << index));
  });
  return terms;
}

function suggestion(slots, parts) {
  const last = slots.filter(slot => !slot.identifier).pop();
  const words = parts.filter(part => !part.compound);
  if (!last || last.presence < 0 || last.words.length !== 1 || !words.length) return [];
  const word = words[words.length - 1].word;
  let best = null, reach = 0;
  for (const [entry] of last.candidates)
    for (const form of entry[0])
      if (form.startsWith(word) && entry[1].length > reach) { best = form; reach = entry[1].length; }
  return best ? [best] : [];
}

// A shown page's section titles, and the texts of the sections that get a teaser.
async function pageContent(page, list) {
  const content = await load(pages[page].file);
  const texts = new Map(content.text.map((text, offset) => [offset, text]));
  const wanted = list.slice(0, TEASERS_PER_PAGE).map(([section]) => section - firstSection[page])
    .filter(offset => !texts.has(offset));
  const blockOf = offset => content.blocks.reduce((found, block) => (block[0] <= offset ? block : found));
  const needed = [...new Set(wanted.map(blockOf))];
  const loadedBlocks = await Promise.all(needed.map(([, file]) => load(file)));
  needed.forEach(([first], i) => loadedBlocks[i].forEach((text, j) => texts.set(first + j, text)));
  return { sections: content.sections, texts };
}

async function search(query) {
  const parts = parse(query);
  if (!parts.some(part => part.presence >= 0)) return { items: [] };
  const slots = await slotsFor(parts);
  const { wanted, sections } = score(slots);

  const byPage = new Map();             // page index -> [section, result] best first
  for (const [section, result] of sections) {
    const page = pageOfSection[section];
    const list = byPage.get(page);
    if (list) list.push([section, result]); else byPage.set(page, [[section, result]]);
  }
  const ranked = [...byPage.entries()]
    .map(([page, list]) => [page, list.sort((a, b) => b[1].score - a[1].score)])
    .sort((a, b) => b[1][0][1].score - a[1][0][1].score);

  const shown = ranked.slice(0, manifest.pagesShownInFull);
  const contents = await Promise.all(shown.map(([page, list]) => pageContent(page, list)));
  const isMatch = matcher(slots);
  const items = ranked.map(([page, list], rank) => {
    const doc = pages[page];
    const base = { tags: doc.tags };
    if (rank >= contents.length) {
      const [, best] = list[0];
      return [{ ...base, location: doc.location, title: doc.title, text: "", score: best.score,
                terms: termsOf(wanted, best.mask) }];
    }
    const { sections, texts } = contents[rank];
    const group = list.slice(0, SECTIONS_PER_PAGE).map(([section, result], position) => {
      const offset = section - firstSection[page];
      const [anchor, title] = sections[offset];
      const text = position < TEASERS_PER_PAGE ? teaser(texts.get(offset) || "", isMatch) : "";
      return { ...base, location: anchor ? `${doc.location}#${anchor}` : doc.location,
               title: mark(title, isMatch), text, score: result.score, terms: termsOf(wanted, result.mask) };
    });
    if (!group.some(item => item.location === doc.location))
      group.push({ ...base, location: doc.location, title: doc.title, text: "", score: 0, terms: {} });
    return group;
  });
  return suggest ? { items, suggest: suggestion(slots, parts) } : { items };
}

// --- Messages ------------------------------------------------------------------------------

function setup({ config, docs, options }) {
  site = new URL("../../../", workerUrl()).href;
  manifest = config.portal;
  pages = docs;
  separator = new RegExp(config.separator);
  stopWords = new Set(manifest.stopWords);
  suggest = Boolean(options && options.suggest);
  synonymsByFirst = new Map();
  synonymWords = new Map();
  for (const group of manifest.synonyms) {
    for (const phrase of group.phrases) {
      const list = synonymsByFirst.get(phrase[0]) || [];
      list.push({ phrase, term: group.term });
      list.sort((a, b) => b.phrase.length - a.phrase.length);
      synonymsByFirst.set(phrase[0], list);
    }
    for (const [form, stem] of Object.entries(group.words)) synonymWords.set(form, stem);
  }
  const total = sectionCount = docs.reduce((sum, doc) => sum + doc.sections, 0);
  pageOfSection = new Uint32Array(total);
  firstSection = new Uint32Array(docs.length);
  let section = 0;
  docs.forEach((doc, page) => {
    firstSection[page] = section;
    pageOfSection.fill(page, section, section + doc.sections);
    section += doc.sections;
  });
}

// Queries are answered one at a time and only the newest waiting one is answered: a reader
// types faster than chunks arrive, and an older answer must never replace a newer one.
let pending = null, running = false, prefetching = false, searched = false;

// After the first answer, a small site's whole index is fetched while the reader reads, a few
// files at a time and never while a query waits (the manifest lists it only for small sites).
async function prefetch() {
  if (prefetching) return;
  prefetching = true;
  const files = manifest.prefetch || [];
  for (let i = 0; i < files.length;) {
    if (running || pending !== null) {
      await new Promise(resolve => setTimeout(resolve, 50));
      continue;
    }
    await Promise.all(files.slice(i, i + 3).map(file => load(file).catch(() => undefined)));
    i += 3;
  }
}

async function answer() {
  if (running) return;
  running = true;
  while (pending !== null) {
    const query = pending;
    pending = null;
    let data;
    try {
      data = await search(query);
    } catch (error) {
      console.warn(`Search failed for ${JSON.stringify(query)}:`, error);
      data = { items: [] };
    }
    if (pending === null) postMessage({ type: RESULT, data });
    if (data.items.length) searched = true;
  }
  running = false;
  // Material asks an empty query as soon as the worker is ready: only a reader who searched
  // gets the rest of the index.
  if (searched) setTimeout(prefetch, PREFETCH_DELAY_MS);
}

addEventListener("message", event => {
  const message = event.data;
  if (message.type === SETUP) {
    setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    pending = message.data;
    answer();
  }
});
