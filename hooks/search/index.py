"""The search index, scored at build time and split into chunks fetched per query.

Material's search plugin writes every section of every page (``search_index.json``); the
browser used to download all of it and build a lunr index before the first answer (7 s at
1,000 pages). Here the same sections are scored once, at build time, with BM25 per field, the
fields weighted and summed: a term in a heading, in the page's search keywords or in the page
title counts several times one in the body (each field saturates on its own, so a body that
repeats a word cannot outweigh a heading), and body matches are damped by section length. The postings of each stem are grouped
by the stem's first three characters into chunks of about ``CHUNK_BYTES``; a query fetches
the chunks of its words and the pages it shows, nothing else.
"""
from __future__ import annotations

import hashlib
import json
import math
import shutil
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hooks.search.analysis import MIN_PREFIX, STOP_WORDS, Analyzer, Synonyms, key_of

FIELDS = ("title", "keywords", "context", "anchors", "text")
# Measured with `python benchmarks/search.py --quality` on the tuned questions (README).
WEIGHTS = {"title": 8.0, "keywords": 6.0, "context": 3.0, "anchors": 2.0, "text": 1.0}
LENGTH_NORMALISATION = {"title": 0.5, "keywords": 0.0, "context": 0.3, "anchors": 0.5, "text": 0.75}
SATURATION = 1.2               # BM25's k1: how soon more occurrences stop counting
BOOST_EXPONENT = 0.25          # Material's `search.boost` was tuned for lunr's larger scale
SCORE_SCALE = 100              # scores travel as integers, two decimals kept
CHUNK_BYTES = 24_000
TEXT_BLOCK_BYTES = 16_000       # a page's section texts travel in blocks: a query showing two
                                # sections of a 200 KB page fetches one or two blocks, not all
PAGES_SHOWN_IN_FULL = 10       # Material renders the first ten result pages at once
# A small site's whole index (chunks and page titles) is fetched in the background after the
# first answer, so later queries fetch nothing: about what Material's own search downloads up
# front on such a site (1.5 MB on the real tree against Material's 1.7 MB), but not before the
# first answer. A large site's index is only ever fetched by the queries that need it.
PREFETCH_BYTES = 2_500_000
TF_BITS = 12                   # a term's count per field, packed five to an integer


@dataclass
class PageExtras:
    """What the index needs from a page besides Material's sections."""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    section_keywords: dict[str, list[str]] = field(default_factory=dict)
    ancestors: dict[str, list[str]] = field(default_factory=dict)   # anchor -> enclosing headings


@dataclass
class Page:
    location: str
    title: str
    tags: list[str]
    boost: float
    sections: list[tuple[str, str, str]]     # (anchor, title, text); anchor "" is the page itself


Texts = tuple[str, ...]    # the texts of one field of one section, as analysed together


@dataclass
class Built:
    """The files to write under ``search/``, the new ``search_index.json``, and the analysis of
    every field text it used (for the next build of a served site)."""
    files: dict[str, bytes]
    index: dict[str, Any]
    terms: dict[Texts, FieldTerms] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldTerms:
    """What one field of one section contributes to the index: how often each index term
    occurs (synonym groups' terms included), the field's length in words, and the surface
    forms each stem was written as."""
    counts: dict[str, int]
    length: int
    forms: dict[str, tuple[str, ...]]


def field_terms(analyzer: Analyzer, synonyms: Synonyms, texts: Iterable[str]) -> FieldTerms:
    forms = [form for text in texts if text for form in analyzer.forms(text)]
    count: Counter[str] = Counter()
    surface: dict[str, set[str]] = {}
    for form, times in Counter(forms).items():
        stem = analyzer.stem(form)
        count[stem] += times
        surface.setdefault(stem, set()).add(form)
    if synonyms.may_occur(count):
        count.update(synonyms.occurrences(analyzer.stems(forms)))
    return FieldTerms(dict(count), len(forms), {stem: tuple(sorted(f)) for stem, f in surface.items()})


def merged(parts: Sequence[FieldTerms]) -> FieldTerms:
    """One field made of separate texts (the anchors field: what each link to a section says),
    analysed one text at a time: no phrase runs from one link's words into another's."""
    if len(parts) == 1:
        return parts[0]
    counts: Counter[str] = Counter()
    forms: dict[str, set[str]] = {}
    for part in parts:
        counts.update(part.counts)
        for stem, surface in part.forms.items():
            forms.setdefault(stem, set()).update(surface)
    return FieldTerms(dict(counts), sum(part.length for part in parts),
                      {stem: tuple(sorted(surface)) for stem, surface in forms.items()})


def separator_of(config: Mapping[str, Any]) -> str:
    """The separator the index is analysed with: Material's search setting, or lunr's default."""
    return str(config.get("separator") or r"[\s\-]+")


class Analysis:
    """Field texts to their terms, each distinct text analysed once: answers computed beside
    the build as pages rendered (``known``), or kept from the build before under ``mkdocs serve``."""

    def __init__(self, separator: str, synonyms_groups: Sequence[Sequence[str]],
                 known: Mapping[Texts, FieldTerms] | None = None) -> None:
        self.analyzer = Analyzer(separator)
        self.synonyms = Synonyms(synonyms_groups, self.analyzer)
        self.known = known or {}
        self.used: dict[Texts, FieldTerms] = {}

    def of(self, texts: Texts) -> FieldTerms:
        terms = self.used.get(texts) or self.known.get(texts)
        if terms is None:
            terms = field_terms(self.analyzer, self.synonyms, texts)
        self.used[texts] = terms
        return terms


_ANALYSES: dict[tuple[str, tuple[tuple[str, ...], ...]], Analysis] = {}


def analyse(separator: str, synonyms_groups: tuple[tuple[str, ...], ...], texts: Sequence[Texts]) -> list[FieldTerms]:
    """The terms of each field text, in the worker process beside the build (hooks/background.py).
    The analyser (and its stem cache) is made once per process and settings, and keeps every
    answer, so that ``build_beside`` (hooks/search/beside.py) in the same process uses them
    without their travelling back. The worker is a new process for every build, so nothing
    outlives the build."""
    analysis = _ANALYSES.get((separator, synonyms_groups))
    if analysis is None:
        analysis = _ANALYSES[(separator, synonyms_groups)] = Analysis(separator, synonyms_groups)
    return [analysis.of(one) for one in texts]


def write(search_dir: Path, files: Mapping[str, bytes]) -> None:
    """The index's files under ``search/``, none left from an earlier build."""
    for folder in ("chunks", "pages", "text"):
        shutil.rmtree(search_dir / folder, ignore_errors=True)
    for name, body in files.items():
        target = search_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


def forget_analyses() -> None:
    _ANALYSES.clear()


def analysed(separator: str, synonyms_groups: tuple[tuple[str, ...], ...]) -> dict[Texts, FieldTerms] | None:
    """Every field text ``analyse`` answered in this process with these settings."""
    analysis = _ANALYSES.get((separator, synonyms_groups))
    return analysis.used if analysis is not None else None


def anchors_from(links: Mapping[str, list[tuple[str, str]]], pages: set[str]) -> dict[str, list[str]]:
    """Target location -> what the links of ``pages`` to it say, in page order."""
    anchors: dict[str, list[str]] = {}
    for url in sorted(links):
        if url in pages:
            for location, text in links[url]:
                anchors.setdefault(location, []).append(text)
    return anchors


def pages_from_material(docs: Sequence[Mapping[str, Any]]) -> list[Page]:
    """Material's flat list of sections, grouped by page in their order."""
    pages: dict[str, Page] = {}
    for doc in docs:
        location = str(doc.get("location", ""))
        path, _, anchor = location.partition("#")
        page = pages.get(path)
        if page is None:
            page = pages[path] = Page(path, str(doc.get("title", "")), [str(t) for t in doc.get("tags") or []],
                                      float(doc.get("boost", 1) or 1), [])
            if anchor:   # a page whose first section has an id: keep a section for the page itself
                page.sections.append(("", page.title, ""))
        page.sections.append((anchor, str(doc.get("title", "")), str(doc.get("text", ""))))
    return list(pages.values())


def field_texts(page: Page, anchor: str, title: str, text: str, extras: PageExtras) -> list[Texts]:
    """A section's title, keywords, context and text fields: all it has but the anchors field,
    which other pages' links make."""
    if not anchor:
        return [(title,), tuple(extras.keywords), (extras.description, *page.tags), (text,)]
    return [(title,), tuple(extras.section_keywords.get(anchor, [])),
            (page.title, *extras.ancestors.get(anchor, [])), (text,)]


def anchor_texts_of(page: Page, anchor: str, anchors: Mapping[str, list[str]]) -> list[str]:
    return anchors.get(f"{page.location}#{anchor}" if anchor else page.location, [])


def page_field_texts(page: Page, extras: PageExtras) -> list[Texts]:
    """Every field text of a page's sections except the anchors field, for ``analyse``."""
    return [texts for anchor, title, text in page.sections for texts in field_texts(page, anchor, title, text, extras)]


class IndexBuilder:
    def __init__(self) -> None:
        self._postings: dict[str, tuple[array[int], array[int]]] = {}
        self._forms: dict[str, set[str]] = {}
        self._lengths: list[tuple[int, ...]] = []
        self._boosts: list[float] = []

    def add(self, section_id: int, fields: Sequence[FieldTerms], boost: float) -> None:
        """A section's fields, in the order of FIELDS."""
        packed: dict[str, int] = {}
        lengths = []
        cap = (1 << TF_BITS) - 1
        for position, terms in enumerate(fields):
            shift = TF_BITS * position
            for stem, times in terms.counts.items():
                packed[stem] = packed.get(stem, 0) | (min(times, cap) << shift)
            for stem, forms in terms.forms.items():
                known = self._forms.get(stem)
                if known is None:
                    self._forms[stem] = set(forms)
                else:
                    known.update(forms)
            lengths.append(terms.length)
        self._lengths.append(tuple(lengths))
        self._boosts.append(boost)
        for stem, value in packed.items():
            postings = self._postings.get(stem)
            if postings is None:
                postings = self._postings[stem] = (array("q"), array("q"))
            postings[0].append(section_id)
            postings[1].append(value)

    def scored(self) -> dict[str, tuple[list[str], list[int]]]:
        """stem -> (surface forms, [section delta, score, ...]) with BM25F scores."""
        total = len(self._lengths) or 1
        averages = [max(sum(l[i] for l in self._lengths) / total, 1.0) for i in range(len(FIELDS))]
        norms = [[1 - LENGTH_NORMALISATION[name] + LENGTH_NORMALISATION[name] * l[i] / averages[i]
                  for i, name in enumerate(FIELDS)] for l in self._lengths]
        weights = [WEIGHTS[name] for name in FIELDS]
        boosts = [b ** BOOST_EXPONENT for b in self._boosts]
        mask = (1 << TF_BITS) - 1
        result = {}
        for stem, (sections, packed_counts) in self._postings.items():
            idf = math.log(1 + (total - len(sections) + 0.5) / (len(sections) + 0.5))
            encoded: list[int] = []
            previous = 0
            for section, packed in zip(sections, packed_counts, strict=True):
                norm = norms[section]
                fields = 0.0
                for i in range(len(FIELDS)):
                    tf = (packed >> (TF_BITS * i)) & mask
                    if tf:
                        fields += weights[i] * tf * (SATURATION + 1) / (tf + SATURATION * norm[i])
                score = idf * fields * boosts[section]
                encoded += (section - previous, max(1, round(score * SCORE_SCALE)))
                previous = section
            forms = sorted(self._forms.get(stem, ())) or [stem]
            result[stem] = (forms, encoded)
        return result


def _file(folder: str, value: Any, wrapper: str | None) -> tuple[str, bytes]:
    """A content-addressed file: a new build never serves a page an old chunk."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    name = f"{folder}/{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.{'js' if wrapper else 'json'}"
    if wrapper:   # pages opened from file:// cannot fetch; the offline build loads scripts
        text = f"{wrapper}({json.dumps(name)},{text});"
    return name, text.encode("utf-8")


def chunk(scored: Mapping[str, tuple[list[str], list[int]]]) -> list[tuple[str, dict[str, tuple[list[str], list[int]]]]]:
    """(first key, {stem: entry}) for runs of whole keys, each about CHUNK_BYTES of JSON.

    A stem is filed under its own key and under the key of each of its forms, so a query
    word finds its stem in the chunk of its own first letters ("dying" is filed under "die").
    """
    by_key: dict[str, dict[str, tuple[list[str], list[int]]]] = {}
    for stem, entry in scored.items():
        for key in {key_of(stem), *(key_of(form) for form in entry[0])}:
            by_key.setdefault(key, {})[stem] = entry
    chunks: list[tuple[str, dict[str, tuple[list[str], list[int]]]]] = []
    size = CHUNK_BYTES
    for key in sorted(by_key):
        entries = by_key[key]
        weight = sum(len(stem) + 8 + sum(len(f) + 3 for f in e[0]) + 4 * len(e[1]) for stem, e in entries.items())
        if size + weight > CHUNK_BYTES and (not chunks or chunks[-1][1]):
            chunks.append((key, {}))
            size = 0
        chunks[-1][1].update(entries)
        size += weight
    return chunks


def build(material_index: Mapping[str, Any], extras: Mapping[str, PageExtras], synonyms_groups: Sequence[Sequence[str]],
          script_wrapper: str | None = None, anchors: Mapping[str, list[str]] | None = None,
          known: Mapping[Texts, FieldTerms] | None = None) -> Built:
    """Score Material's sections and lay out the files of the chunked index. ``known`` holds
    field texts already analysed (``analyse``); the rest are analysed here."""
    config = dict(material_index.get("config") or {})
    analysis = Analysis(separator_of(config), synonyms_groups, known)
    synonyms = analysis.synonyms
    builder = IndexBuilder()
    pages = pages_from_material(material_index.get("docs") or [])
    files: dict[str, bytes] = {}
    docs, section_id = [], 0
    for page in pages:
        page_extras = extras.get(page.location, PageExtras())
        for anchor, title, text in page.sections:
            fields = [analysis.of(texts) for texts in field_texts(page, anchor, title, text, page_extras)]
            linked = [analysis.of((text,)) for text in anchor_texts_of(page, anchor, anchors or {})]
            fields.insert(FIELDS.index("anchors"), merged(linked) if linked else analysis.of(()))
            builder.add(section_id, fields, page.boost)
            section_id += 1
        blocks: list[list[Any]] = []   # [first section's offset, its text, the next sections' texts...]
        current: list[Any] = []
        size = 0
        for offset, (_, _, text) in enumerate(page.sections):
            if current and size + len(text) > TEXT_BLOCK_BYTES:
                blocks.append(current)
                current, size = [], 0
            if not current:
                current = [offset]
            current.append(text)
            size += len(text)
        blocks.append(current or [0])
        block_names = []
        for block in blocks[1:]:   # the first block travels with the titles: one request for most pages
            name, body = _file("text", block[1:], script_wrapper)
            files[name] = body
            block_names.append([block[0], name])
        name, body = _file("pages", {"sections": [[anchor, title] for anchor, title, _ in page.sections],
                                     "text": blocks[0][1:], "blocks": block_names}, script_wrapper)
        files[name] = body
        doc = {"location": page.location, "title": page.title, "sections": len(page.sections), "file": name}
        if page.tags:
            doc["tags"] = page.tags
        docs.append(doc)
    chunk_list = []
    for first, entries in chunk(builder.scored()):
        name, body = _file("chunks", entries, script_wrapper)
        files[name] = body
        chunk_list.append([first, name])
    prefetch = [name for name in files if name.startswith(("chunks/", "pages/"))]
    if sum(len(files[name]) for name in prefetch) > PREFETCH_BYTES:
        prefetch = []
    config["portal"] = {"chunks": chunk_list, "prefetch": sorted(prefetch), "stopWords": sorted(STOP_WORDS), "synonyms": synonyms.manifest(),
                        "minPrefix": MIN_PREFIX, "pagesShownInFull": PAGES_SHOWN_IN_FULL,
                        "scoreScale": SCORE_SCALE, "format": "js" if script_wrapper else "json"}
    return Built(files, {"config": config, "docs": docs}, analysis.used)
