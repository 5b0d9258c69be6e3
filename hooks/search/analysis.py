"""From text to index terms: the separator Material's search is configured with, lower case,
stop words, and the Snowball English stemmer.

Stemming happens here only. The browser never stems: every chunk lists the surface forms of
each stem, so a query word is looked up as written, and a word the pages never use falls back
to the longest stem it starts with (see worker.js). One stemmer on one side cannot disagree
with itself, which two ports of Porter's algorithm do (lunr.js and lunr.py differ on "lay"
and "try").
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]  # no stubs or py.typed

# lunr's English stop-word list (the `stopWordFilter` Material's search is configured with),
# less the words support questions turn on: "who can roll back", "when to escalate",
# "no data", "not received", "off".
STOP_WORDS = frozenset("""
a able about across after all almost also am among an and any are as at be because been but
by can cannot could dear did do does either else ever every for from get got had has have he
her hers him his how however i if in into is it its just least let like likely may me might
most must my neither nor of often on only or other our own rather said say says she should
since so some than that the their them then there these they this tis to too twas us wants
was we were what where which while whom why will with would yet you your
""".split())

TAG = re.compile(r"<[^>]*>")
# Where an identifier ends: space, brackets, quotes, punctuation that never sits inside one.
# worker.js splits a query with the same expression.
IDENTIFIER_END = re.compile(r"[\s{}()\[\]\"'`,;|=<>]+|&[a-z]+;")
IDENTIFIER = re.compile(r"^[\w.\-:/]+$")
COMPOUND_HINT = re.compile(r"[._\-:/]|[a-z][A-Z]|.[A-Z][a-z]")    # what an identifier has and a word has not
ANGLE_ENTITY = re.compile(r"&[lg]t;")                   # separators in Material's separator
EDGES = re.compile(r"^[\W_]+|[\W_]+$")
MIN_PREFIX = 3          # shortest query word the browser expands as a prefix; also the chunk key length


def key_of(term: str) -> str:
    """The chunk key of an index term: its first three characters."""
    return term[:MIN_PREFIX]


class Analyzer:
    """Splits text with the separator, drops stop words, and stems (with a cache per word)."""

    def __init__(self, separator: str) -> None:
        self.separator = re.compile(separator)
        self._stemmer = snowballstemmer.stemmer("english")
        self._stems: dict[str, str] = {}

    def forms(self, text: str) -> list[str]:
        """The words of ``text`` (HTML allowed) as lower-case surface forms, stop words dropped,
        followed by its identifiers whole (see ``compounds``)."""
        plain = TAG.sub(" ", text)
        words = []
        for token in self.separator.split(html.unescape(ANGLE_ENTITY.sub(" ", plain))):
            if not token:
                continue
            word = token.lower()
            if not (word[0].isalnum() and word[-1].isalnum()):
                word = EDGES.sub("", word)
            if word and word not in STOP_WORDS:
                words.append(word)
        return words + self.compounds(plain)

    def compounds(self, text: str) -> list[str]:
        """Identifiers as written: `app.current_tenant_id`, `celery-worker`, `HighQueueDepth`.

        The separator splits them so that each part is found, but a reader who pastes the whole
        identifier wants the sections that use it, not every section that says "tenant". Each
        is indexed once more as a whole, unstemmed; the browser looks it up the same way.
        """
        found = []
        # Most runs are plain words: the hint test runs in C over all of them, the rest only
        # over the few that look like identifiers.
        for run in filter(COMPOUND_HINT.search, IDENTIFIER_END.split(text)):
            if len(run) <= MIN_PREFIX:
                continue
            compound = EDGES.sub("", run.lower())
            if len(compound) > MIN_PREFIX and IDENTIFIER.match(compound) and \
                    sum(1 for part in self.separator.split(run) if part) > 1:
                found.append(compound)
        return found

    def stem(self, form: str) -> str:
        stem = self._stems.get(form)
        if stem is None:
            stem = self._stems[form] = form if not form.isalnum() else (self._stemmer.stemWord(form) or form)
        return stem

    def stems(self, forms: Iterable[str]) -> list[str]:
        return [self.stem(form) for form in forms]


@dataclass(frozen=True)
class SynonymGroup:
    term: str                          # the index term every phrase of the group also counts as
    phrases: tuple[tuple[str, ...], ...]  # stem sequences, longest first
    words: dict[str, str]              # surface form -> stem of every word in the group


class Synonyms:
    """Groups of expressions that mean the same thing to a reader ("roll back", "rollback",
    "revert"). Each occurrence of any of them in a page also counts as the group's own term,
    and so does each occurrence in a query: a reader's wording finds the page's wording."""

    def __init__(self, groups: Sequence[Sequence[str]], analyzer: Analyzer) -> None:
        self.groups: list[SynonymGroup] = []
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for group in groups:
            phrases, words = [], {}
            for expression in group:
                forms = analyzer.forms(str(expression))
                if forms:
                    phrases.append(tuple(analyzer.stems(forms)))
                    words.update({form: analyzer.stem(form) for form in forms})
            if not phrases:
                continue
            term = "~" + "".join(phrases[0])
            ordered = tuple(sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase)))  # same order every build
            self.groups.append(SynonymGroup(term, ordered, words))
            for phrase in ordered:
                self._by_first.setdefault(phrase[0], []).append((phrase, term))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda item: len(item[0]), reverse=True)

    def may_occur(self, stems: Iterable[str]) -> bool:
        """False when none of ``stems`` starts a phrase: the ordered scan can be skipped."""
        return bool(self._by_first) and not self._by_first.keys().isdisjoint(stems)

    def occurrences(self, stems: Sequence[str]) -> list[str]:
        """The group term of each phrase found in ``stems``, longest match first, no overlaps."""
        found: list[str] = []
        i = 0
        if not self._by_first or self._by_first.keys().isdisjoint(stems):
            return found
        while i < len(stems):
            for phrase, term in self._by_first.get(stems[i], ()):
                if tuple(stems[i:i + len(phrase)]) == phrase:
                    found.append(term)
                    i += len(phrase)
                    break
            else:
                i += 1
        return found

    def manifest(self) -> list[dict[str, Any]]:
        """What the browser needs to find the same phrases in a query."""
        return [{"term": g.term, "phrases": [list(p) for p in g.phrases], "words": g.words} for g in self.groups]
