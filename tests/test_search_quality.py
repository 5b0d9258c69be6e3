"""Search quality: the questions in search_queries.yml, asked of Material's own search.

The site is built with the real mkdocs.yml, served on 127.0.0.1, and each query is typed into
the search box of headless Chromium. Material groups its results per page; a query is
answered at rank N when its page (or one of the pages in `also`) is the N-th page group,
and, if the query names a `section`, that heading is among the group's three best sections.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.search import ResultGroup, build_site, chromium, open_search, run_query, serve, wait_until_ready  # noqa: E402

QUERIES = Path(__file__).resolve().parent / "search_queries.yml"
SETS = ("tuned", "new")

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")


@dataclass
class Outcome:
    query: str
    set: str                   # "tuned" or "new" (held out), see search_queries.yml
    expected: str
    required_rank: int
    rank: int | None           # position of the first acceptable page group, None if absent
    section_found: bool        # True when no section is required
    seen: list[str]            # the first three page groups, for the table

    @property
    def hit_rank(self) -> int | None:
        return self.rank if self.rank is not None and self.section_found else None

    def within(self, n: int) -> bool:
        return self.hit_rank is not None and self.hit_rank <= n


def load_queries(path: Path = QUERIES) -> list[dict]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in entries:
        assert {"query", "page", "rank"} <= entry.keys(), f"incomplete entry in {path.name}: {entry}"
        assert entry["rank"] in (1, 3), f"rank must be 1 or 3: {entry}"
        assert entry.get("set") in SETS, f"set must be one of {SETS}: {entry}"
    return entries


def judge(entry: dict, groups: list[ResultGroup], canonical=None) -> Outcome:
    """``canonical`` maps a result's page to the page it stands for (a copy to its original)."""
    acceptable = [entry["page"], *entry.get("also", [])]
    pages = [canonical(group.page) if canonical else group.page for group in groups]
    rank = next((i + 1 for i, page in enumerate(pages) if page in acceptable), None)
    section_found = True
    if rank is not None and entry.get("section") and pages[rank - 1] == entry["page"]:
        best_sections = [href.split("#", 1)[1] for href in groups[rank - 1].hrefs if "#" in href][:3]
        section_found = entry["section"] in best_sections
    expected = entry["page"] + (f"#{entry['section']}" if entry.get("section") else "")
    return Outcome(entry["query"], entry["set"], expected, entry["rank"], rank, section_found, pages[:3])


def evaluate(site: Path, entries: list[dict], canonical=None, browser=None) -> list[Outcome]:
    if browser is None:
        with chromium() as launched:
            return evaluate(site, entries, canonical, launched)
    with serve(site) as base:
        page = browser.new_page()
        page.set_default_timeout(20000)
        open_search(page, base)
        wait_until_ready(page, base)
        outcomes = [judge(entry, run_query(page, base, entry["query"])[1], canonical) for entry in entries]
        page.close()
        return outcomes


def table(outcomes: list[Outcome]) -> str:
    lines = [f"{'':4} {'rank':>4}  {'query':<42} {'expected':<70} top page groups"]
    for o in outcomes:
        mark = "ok" if o.within(o.required_rank) else ("top3" if o.within(3) else "MISS")
        shown = "-" if o.rank is None else (str(o.rank) if o.section_found else f"{o.rank}§")
        lines.append(f"{mark:4} {shown:>4}  {o.query:<42} {o.expected:<70} {', '.join(o.seen)}")
    p1 = sum(o.within(1) for o in outcomes) / len(outcomes)
    p3 = sum(o.within(3) for o in outcomes) / len(outcomes)
    met = sum(o.within(o.required_rank) for o in outcomes) / len(outcomes)
    lines.append(f"{len(outcomes)} queries: precision@1 {p1:.2f}, precision@3 {p3:.2f}, "
                 f"at their required rank {met:.2f}  (§: page found, section not among its best three)")
    for name, (s1, s3, n) in precision_by_set(outcomes).items():
        lines.append(f"  {name:<6} {n:4} queries: precision@1 {s1:.2f}, precision@3 {s3:.2f}")
    return "\n".join(lines)


def precision_by_set(outcomes: list[Outcome]) -> dict[str, tuple[float, float, int]]:
    """{set: (precision@1, precision@3, queries)} for each set of questions, and "all"."""
    groups = {"all": outcomes, **{name: [o for o in outcomes if o.set == name] for name in SETS}}
    return {name: (sum(o.within(1) for o in group) / len(group), sum(o.within(3) for o in group) / len(group), len(group))
            for name, group in groups.items() if group}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("search-quality") / "site")


@pytest.fixture(scope="module")
def outcomes(site) -> list[Outcome]:
    results = evaluate(site, load_queries())
    print("\n" + table(results))
    return results


def test_query_set_is_large_and_points_at_real_pages():
    entries = load_queries()
    assert len(entries) >= 120
    assert {entry["set"] for entry in entries} == set(SETS)
    assert len({e["query"].lower() for e in entries}) == len(entries), "a query is listed twice"
    for entry in entries:
        for page in [entry["page"], *entry.get("also", [])]:
            source = ROOT / "docs" / page.rstrip("/")
            assert source.with_suffix(".md").is_file() or (source / "index.md").is_file() \
                or (source / "README.md").is_file(), f"{entry['query']!r}: no page {page}"


# Issue 15's targets over all questions: precision@3 1.00 and precision@1 0.90, both met (0.91
# at the time of writing, README) and held.
TOP3_TARGET = 1.00
FIRST_FLOOR = 0.90


def test_every_question_finds_its_page_in_the_top_three(outcomes):
    p3 = sum(o.within(3) for o in outcomes) / len(outcomes)
    misses = [f"{o.query!r} ({o.set}) -> {o.seen}" for o in outcomes if not o.within(3)]
    assert p3 >= TOP3_TARGET, f"precision@3 {p3:.2f} < {TOP3_TARGET}; missed:\n" + "\n".join(misses)


def test_the_right_page_mostly_comes_first(outcomes):
    p1 = sum(o.within(1) for o in outcomes) / len(outcomes)
    misses = [f"{o.query!r} ({o.set}) -> {o.seen}" for o in outcomes if not o.within(1)]
    assert p1 >= FIRST_FLOOR, f"precision@1 {p1:.2f} < {FIRST_FLOOR}:\n" + "\n".join(misses)


def test_every_expected_section_exists_in_the_built_site(site):
    for entry in load_queries():
        if entry.get("section"):
            html = (site / entry["page"] / "index.html").read_text(encoding="utf-8")
            assert f'id="{entry["section"]}"' in html, f"{entry['query']!r}: no #{entry['section']} on {entry['page']}"


if __name__ == "__main__":
    # Development loop: python tests/test_search_quality.py [built-site-dir]
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    if target is None:
        import tempfile
        target = build_site(Path(tempfile.mkdtemp()) / "site")
    print(table(evaluate(target, load_queries())))
