"""The closest of a fixed set of names, for "did you mean" hints, at any number of misses.

``difflib.get_close_matches`` against every page, once per broken link, made a folder move in
a 1,000-page tree (thousands of broken links) run for over 13 minutes of CPU. Here each
distinct miss is answered once; an exact match ignoring case, then a match of the last path
segment (what a moved folder leaves intact), is tried before any fuzzy match; and the fuzzy
match compares only against the names that share the miss's rarer trigrams.
"""
from __future__ import annotations

import difflib
import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable

PREFILTER_ABOVE = 200   # below this many names, difflib over all of them is cheap enough
CANDIDATES = 8          # names kept by the trigram prefilter for difflib to rank (a ratio() costs ~40 µs)


def _trigrams(word: str) -> set[str]:
    padded = f"  {word.lower()} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


class Closest:
    def __init__(self, names: Iterable[str], cutoff: float = 0.5) -> None:
        self.names = sorted(set(names))
        self.cutoff = cutoff
        self._folded = {name.lower(): name for name in reversed(self.names)}
        self._by_segment: dict[str, list[str]] = defaultdict(list)
        for name in self.names:
            self._by_segment[posixpath.basename(name.rstrip("/")).lower()].append(name)
        self._index: dict[str, list[int]] = defaultdict(list)
        if len(self.names) > PREFILTER_ABOVE:
            for position, name in enumerate(self.names):
                for gram in _trigrams(name):
                    self._index[gram].append(position)
        self._memo: dict[str, str | None] = {}

    def __call__(self, word: str) -> str | None:
        if word not in self._memo:
            self._memo[word] = self._find(word)
        return self._memo[word]

    def ignoring_case(self, word: str) -> str | None:
        return self._folded.get(word.lower())

    def _find(self, word: str) -> str | None:
        same = self.ignoring_case(word)
        if same is not None:
            return same
        moved = self._by_segment.get(posixpath.basename(word.rstrip("/")).lower(), [])
        if moved:
            return difflib.get_close_matches(word, moved, n=1, cutoff=0.0)[0]
        match = difflib.get_close_matches(word, self._candidates(word), n=1, cutoff=self.cutoff)
        return match[0] if match else None

    def _candidates(self, word: str) -> list[str]:
        if not self._index:
            return self.names
        grams = sorted((gram for gram in _trigrams(word) if gram in self._index), key=lambda g: len(self._index[g]))
        rare = [gram for gram in grams if len(self._index[gram]) <= len(self.names) // 10] or grams[:3]
        counts: Counter[int] = Counter()
        for gram in rare:
            counts.update(self._index[gram])
        return [self.names[position] for position, _ in counts.most_common(CANDIDATES)]
