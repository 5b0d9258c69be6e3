"""The search index built at build time: terms, synonyms, scores, chunks, and the build's checks."""
from __future__ import annotations

import json
import re
from pathlib import Path

from sites import FixtureSite, page

from hooks.search.analysis import Analyzer, Synonyms
from hooks.search.index import FieldTerms, PageExtras, analyse, build, chunk, field_terms

ROOT_SEPARATOR = re.search(r"separator: '(.*)'", (Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text())[1]


def analyzer() -> Analyzer:
    return Analyzer(ROOT_SEPARATOR)


def test_words_are_split_like_materials_separator_and_identifiers_are_kept_whole():
    forms = analyzer().forms("Check <code>HighQueueDepth</code> on celery-worker: "
                             "SET app.current_tenant_id; webhook_signature_failures_total{result=&quot;x&quot;}")
    assert {"high", "queue", "depth", "celery", "worker", "app", "current", "tenant", "id"} <= set(forms)
    assert {"highqueuedepth", "celery-worker", "app.current_tenant_id", "webhook_signature_failures_total"} <= set(forms)
    assert "on" not in forms and "set" in forms   # lunr's stop words, not the words a command uses


def test_question_words_that_carry_meaning_are_not_stop_words():
    assert analyzer().forms("who can roll back when no data") == ["who", "roll", "back", "when", "no", "data"]


def test_a_synonym_phrase_is_found_in_any_inflection_and_the_longest_wins():
    a = analyzer()
    synonyms = Synonyms([["rollback", "roll back", "revert"], ["OOM", "OOMKilled", "out of memory"]], a)
    assert synonyms.occurrences(a.stems(a.forms("We rolled back the release"))) == ["~rollback"]
    assert synonyms.occurrences(a.stems(a.forms("Pods were OOMKilled"))) == ["~oom"]
    assert synonyms.occurrences(a.stems(a.forms("Redis is out of memory, then it reverted"))) == ["~oom", "~rollback"]
    assert synonyms.occurrences(a.stems(a.forms("Roll the dice, back to work"))) == []


def material_index(*docs) -> dict:
    return {"config": {"lang": ["en"], "separator": ROOT_SEPARATOR, "pipeline": ["stopWordFilter"], "fields": {}},
            "docs": [dict(zip(("location", "title", "text"), doc, strict=False)) for doc in docs]}


def postings(built, term: str) -> dict[int, int]:
    """section id -> score of ``term`` in the built files."""
    for name, body in built.files.items():
        if name.startswith("chunks/"):
            entries = json.loads(body)
            if term in entries:
                encoded, section, found = entries[term][1], 0, {}
                for delta, score in zip(encoded[::2], encoded[1::2], strict=True):
                    section += delta
                    found[section] = score
                return found
    return {}


def test_a_word_in_a_heading_outscores_the_same_word_in_a_longer_body():
    built = build(material_index(
        ("a/", "Page A", "<p>Intro.</p>"),
        ("a/#rollback", "Roll back a release", "<p>Undo the last rollout.</p>"),
        ("b/", "Page B", "<p>" + "Text about queues and workers. " * 20 + "You may release it later.</p>"),
    ), {}, [])
    scores = postings(built, "releas")
    assert scores[1] > 3 * scores[2], scores


def test_page_keywords_and_section_keywords_are_indexed_where_they_belong():
    extras = {"a/": PageExtras(keywords=["revert a deployment"], section_keywords={"steps": ["undo a release"]})}
    built = build(material_index(("a/", "Page A", "<p>Intro.</p>"), ("a/#steps", "Steps", "<p>Do it.</p>"),
                                 ("b/", "Page B", "<p>Nothing.</p>")), extras, [])
    assert set(postings(built, "revert")) == {0}
    assert set(postings(built, "undo")) == {1}


def test_the_manifest_lists_pages_in_order_and_every_file_it_names_exists():
    built = build(material_index(("", "Home", "<p>Welcome.</p>"), ("a/", "A", "<p>Queue.</p>"),
                                 ("a/#x", "X", "<p>Worker.</p>")), {}, [["queue", "backlog"]])
    docs = built.index["docs"]
    assert [(d["location"], d["sections"]) for d in docs] == [("", 1), ("a/", 2)]
    manifest = built.index["config"]["portal"]
    page_a = json.loads(built.files[docs[1]["file"]])
    assert page_a["sections"] == [["", "A"], ["x", "X"]]
    named = {d["file"] for d in docs} | {name for _, name in manifest["chunks"]}
    named |= {name for d in docs for _, name in json.loads(built.files[d["file"]])["blocks"]}
    assert named == set(built.files)
    assert page_a["text"] == ["<p>Queue.</p>", "<p>Worker.</p>"] and page_a["blocks"] == []
    assert manifest["synonyms"][0]["term"] == "~queue"
    assert postings(built, "~queue") == postings(built, "queue")


def test_a_long_page_sends_its_first_texts_with_its_titles_and_the_rest_in_blocks():
    docs = [("long/", "Long", "<p>Intro.</p>")] + [(f"long/#s{i}", f"S{i}", "<p>" + "word " * 1500 + "</p>")
                                                   for i in range(10)]
    built = build(material_index(*docs), {}, [])
    page = json.loads(built.files[built.index["docs"][0]["file"]])
    firsts = [first for first, _ in page["blocks"]]
    assert len(page["text"]) + sum(len(json.loads(built.files[name])) for _, name in page["blocks"]) == 11
    assert firsts == sorted(firsts) and firsts[0] == len(page["text"]) and len(firsts) >= 3


def test_offline_files_are_scripts_that_hand_their_content_to_the_worker():
    built = build(material_index(("a/", "A", "<p>Queue.</p>")), {}, [], script_wrapper="__portalSearch")
    name, body = next((n, b.decode()) for n, b in built.files.items() if n.startswith("chunks/"))
    assert name.endswith(".js") and body.startswith(f'__portalSearch("{name}",') and body.endswith(");")
    assert built.index["config"]["portal"]["format"] == "js"


def test_chunks_hold_whole_keys_and_a_stem_sits_under_its_forms_keys_too():
    scored = {f"term{i:03d}": ([f"term{i:03d}"], [1, 100] * 400) for i in range(40)}
    scored["die"] = (["dying", "die"], [1, 100])
    chunks = chunk(scored)
    assert len(chunks) > 1
    firsts = [first for first, _ in chunks]
    assert firsts == sorted(firsts)
    holders = [entries for _, entries in chunks if "die" in entries]
    assert len(holders) == 2 or any(first <= "die" for first in firsts)


def test_search_keywords_for_a_missing_section_fail_the_build_with_file_and_line(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\n## Steps {#steps}\n\nText.\n",
                                                   search={"sections": {"step": ["undo a release"]}})})
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert re.search(r"docs/index\.md:\d+: search keywords for section '#step', which the page does not have", result.output)
    assert "steps" in result.output


def test_search_front_matter_is_validated(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n", search={"keywords": "rollback", "boots": 2})})
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert "front matter 'search'" in result.output and "boots" in result.output


def test_the_built_site_points_materials_search_at_the_portals_worker(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\n## Queue depth {#queue}\n\nScale the workers.\n",
                                                   search={"keywords": ["backlog"]})})
    site.commit_all()
    result = site.build()
    assert result.code == 0, result.output
    html = (result.site_dir / "index.html").read_text()
    worker = re.search(r'"search":\s*"([^"]+)"', html)[1]
    assert re.search(r"workers/portal-search\.[0-9a-f]{8}\.min\.js$", worker)
    assert (result.site_dir / worker).is_file()
    index = json.loads((result.site_dir / "search" / "search_index.json").read_text())
    assert index["docs"][0]["location"] == "" and "portal" in index["config"]
    for _, name in index["config"]["portal"]["chunks"]:
        assert (result.site_dir / "search" / name).is_file()
    assert worker.rsplit("/", 1)[1] in (result.site_dir / "404.html").read_text()


def test_a_small_index_is_offered_for_prefetch_and_a_large_one_is_not(monkeypatch):
    from hooks.search import index

    small = build(material_index(("a/", "A", "<p>Queue.</p>"), ("b/", "B", "<p>Worker.</p>")), {}, [])
    listed = small.index["config"]["portal"]["prefetch"]
    assert listed and all(name.startswith(("chunks/", "pages/")) for name in listed)
    assert set(listed) == {name for name in small.files if not name.startswith("text/")}
    monkeypatch.setattr(index, "PREFETCH_BYTES", 10)
    large = build(material_index(("a/", "A", "<p>Queue.</p>"), ("b/", "B", "<p>Worker.</p>")), {}, [])
    assert large.index["config"]["portal"]["prefetch"] == []


def test_a_synonyms_file_that_cannot_be_read_is_a_message_not_a_traceback(tmp_path):
    from hooks.search.hook import synonym_problems

    latin1 = tmp_path / "latin1.yml"
    latin1.write_bytes("- [caf\xe9, coffee]\n".encode("latin-1"))
    not_groups = tmp_path / "mapping.yml"
    not_groups.write_text("rollback: revert\n")
    broken = tmp_path / "broken.yml"
    broken.write_text("- [a, b\n")
    assert "is not UTF-8: byte 0xe9" in synonym_problems(str(latin1))[0]
    assert synonym_problems(str(not_groups)) == ["must be a list of groups, each a list of expressions"]
    assert synonym_problems(str(broken))[0].startswith("is not valid YAML")
    assert synonym_problems(str(tmp_path / "missing.yml"))[0].startswith("cannot be read")


def test_the_worker_analyses_field_texts_as_the_build_would():
    groups = (("rollback", "roll back"),)
    texts = [("We rolled back the release",), ("Celery", "HighQueueDepth fired twice")]
    a = analyzer()
    assert analyse(ROOT_SEPARATOR, groups, texts) == [field_terms(a, Synonyms(groups, a), t) for t in texts]


def test_field_texts_analysed_before_are_not_analysed_again():
    material = {"config": {"separator": ROOT_SEPARATOR}, "docs": [{"location": "a/", "title": "A", "text": "hello world"}]}
    marker = FieldTerms({"zzzmarker": 1}, 1, {"zzzmarker": ("zzzmarker",)})
    built = build(material, {}, [], known={("hello world",): marker})
    chunks = b"".join(body for name, body in built.files.items() if name.startswith("chunks/"))
    assert b"zzzmarker" in chunks and b"hello" not in chunks
    assert built.terms[("hello world",)] is marker and ("A",) in built.terms   # kept for the next build
