"""hooks/links: every internal link, anchor, nav entry and redirect, checked with file:line."""
from __future__ import annotations

import subprocess
import sys

from sites import ROOT, FixtureSite, page

from hooks.links import extract
from hooks.links.check import Site, resolve

TODAY = {"SOURCE_DATE_EPOCH": "1770000000"}  # 2026-02-02


def two_pages(tmp_path, body_a: str, **kwargs) -> FixtureSite:
    site = FixtureSite(tmp_path, {
        "index.md": page(body_a),
        "guide/escalation.md": page("""
            # Escalation

            ## Severity Level Definitions

            Text.

            ## Escalation Matrix {#escalation-matrix}

            Text.
            """, title="Escalation"),
    }, **kwargs)
    site.commit_all()
    return site


def test_valid_links_build_cleanly(tmp_path):
    site = two_pages(tmp_path, """
        # Home

        See [matrix](guide/escalation.md#escalation-matrix) and
        [severity](guide/escalation.md#severity-level-definitions).
        <a href="guide/escalation/#escalation-matrix">raw</a>
        """)
    result = site.build(env=TODAY)
    assert result.code == 0, result.output
    assert not [w for w in result.warnings if "portal" in w and "Last Updated" not in w]


def test_link_to_missing_page_names_file_line_and_closest_page(tmp_path):
    site = two_pages(tmp_path, """
        # Home

        Text.

        Go to [the matrix](guide/escalaton.md).
        """)
    result = site.build(env=TODAY)
    assert result.code == 1
    assert ("docs/index.md:14: broken link 'guide/escalaton.md': links to 'guide/escalaton.md', "
            "which does not exist in the docs (did you mean 'guide/escalation.md'?)") in result.output


def test_missing_anchor_suggests_the_closest_id(tmp_path):
    site = two_pages(tmp_path, """
        # Home

        [Severity](guide/escalation.md#severity-level-defintions)
        """)
    result = site.build(env=TODAY)
    assert result.code == 1
    assert ("docs/index.md:12: broken link 'guide/escalation.md#severity-level-defintions': anchor "
            "'#severity-level-defintions' does not exist in guide/escalation.md "
            "(did you mean '#severity-level-definitions'?)") in result.output


def test_same_page_anchor_is_checked(tmp_path):
    site = two_pages(tmp_path, """
        # Home

        ## Quick start

        Jump to [start](#quick-strat).
        """)
    result = site.build(env=TODAY)
    assert "docs/index.md:14: broken link '#quick-strat': anchor '#quick-strat' does not exist in index.md (did you mean '#quick-start'?)" in result.output


def test_raw_html_link_is_checked(tmp_path):
    site = two_pages(tmp_path, """
        # Home

        <div markdown>
        <a href="guide/escalation/#escalation-matrx">Matrix</a>
        </div>
        """)
    result = site.build(env=TODAY)
    assert result.code == 1
    assert ("docs/index.md:13: broken link 'guide/escalation.md#escalation-matrx': anchor '#escalation-matrx' "
            "does not exist in guide/escalation.md (did you mean '#escalation-matrix'?)") in result.output


def test_raw_html_id_is_a_valid_target(tmp_path):
    site = two_pages(tmp_path, """
        # Home

        <span id="custom-target"></span>
        [here](#custom-target) and [footnote](#fn:1)[^1]

        [^1]: A note.
        """)
    result = site.build(env=TODAY)
    assert "broken link" not in result.output, result.output


def test_nav_fragment_valid_is_rendered_as_a_working_link(tmp_path):
    site = two_pages(tmp_path, "# Home\n", nav=[
        {"Home": "index.md"},
        {"Guide": "guide/escalation.md"},
        {"Matrix": "guide/escalation.md#escalation-matrix"},
    ])
    result = site.build(env=TODAY)
    assert "nav entry" not in result.output, result.output
    html = (result.site_dir / "index.html").read_text()
    assert 'href="guide/escalation/#escalation-matrix"' in html


def test_nav_fragment_broken_names_mkdocs_yml_line(tmp_path):
    site = two_pages(tmp_path, "# Home\n", nav=[
        {"Home": "index.md"},
        {"Guide": "guide/escalation.md"},
        {"Matrix": "guide/escalation.md#escalation-matric"},
    ])
    result = site.build(env=TODAY)
    assert result.code == 1
    lines = (tmp_path / "mkdocs.yml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "escalation-matric" in text)
    assert (f"mkdocs.yml:{line}: nav entry 'guide/escalation.md#escalation-matric': anchor '#escalation-matric' "
            "does not exist in guide/escalation.md (did you mean '#escalation-matrix'?)") in result.output


def test_redirect_to_nothing_fails(tmp_path):
    site = two_pages(tmp_path, "# Home\n", redirects={"old.md": "guide/escalaton.md"})
    result = site.build(env=TODAY)
    assert result.code == 1
    assert "redirect 'old.md' -> 'guide/escalaton.md': target page does not exist" in result.output


def test_redirect_to_missing_anchor_fails(tmp_path):
    site = two_pages(tmp_path, "# Home\n", redirects={"old.md": "guide/escalation.md#nope"})
    result = site.build(env=TODAY)
    assert "redirect 'old.md' -> 'guide/escalation.md#nope': anchor '#nope' does not exist in guide/escalation.md" in result.output


def test_redirect_over_an_existing_page_fails(tmp_path):
    site = two_pages(tmp_path, "# Home\n", redirects={"guide/escalation.md": "index.md"})
    result = site.build(env=TODAY)
    assert "redirect from 'guide/escalation.md' would overwrite an existing page" in result.output


def test_links_to_redirect_sources_are_valid(tmp_path):
    site = two_pages(tmp_path, "# Home\n\n[old](old/)\n", redirects={"old.md": "guide/escalation.md"})
    result = site.build(env=TODAY)
    assert "broken link" not in result.output, result.output


def test_duplicate_ids_are_reported(tmp_path):
    site = two_pages(tmp_path, """
        # Home

        ## First {#same}

        ## Second {#same}
        """)
    result = site.build(env=TODAY)
    assert result.code == 1
    assert "docs/index.md:14: id 'same' is used more than once on the page" in result.output


def test_strict_fails_even_when_quiet(tmp_path):
    # mkdocs issue 4126: with -q MkDocs stops counting warnings and exits 0.
    site = two_pages(tmp_path, "# Home\n\n[x](#nowhere)\n")
    result = site.build("-q", env=TODAY)
    assert result.code == 1
    assert "broken link '#nowhere'" in result.output


def test_strict_fails_when_verbose(tmp_path):
    # mkdocs issue 3991: MkDocs' own anchor validation is skipped under -v.
    site = two_pages(tmp_path, "# Home\n\n[x](guide/escalation.md#nowhere)\n")
    result = site.build("-v", env=TODAY)
    assert result.code == 1
    assert "anchor '#nowhere' does not exist in guide/escalation.md" in result.output


def test_command_line_checker_on_a_built_site(tmp_path):
    site = two_pages(tmp_path, "# Home\n\n[x](guide/escalation.md#escalation-matrix)\n")
    result = site.build(env=TODAY)
    assert result.code == 0, result.output
    ok = subprocess.run([sys.executable, "-m", "hooks.links", str(result.site_dir)], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    index = result.site_dir / "index.html"
    index.write_text(index.read_text().replace("#escalation-matrix", "#escalation-matrx"))
    bad = subprocess.run([sys.executable, "-m", "hooks.links", str(result.site_dir)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert "index.html:" in bad.stdout
    assert "anchor '#escalation-matrx' does not exist in guide/escalation/ (did you mean '#escalation-matrix'?)" in bad.stdout


def test_extract_ignores_links_inside_code():
    html = '<p><a href="a/">A</a></p><pre><code>&lt;a href="b/"&gt;</code></pre><h2 id="x">X</h2><a name="y"></a>'
    assert extract.links(html) == ["a/"]
    assert extract.ids(html) == ["x", "y"]


def test_resolve_relative_urls():
    assert resolve("../b/#x", "guide/a/").url == "guide/b/"
    assert resolve("#x", "guide/a/").url == "guide/a/"
    assert resolve("../../", "guide/a/").url == ""
    site = Site()
    site.add_page("", ["top"], "index.md")
    assert site.check("../../#top", "guide/a/") is None
    assert site.check("https://example.com/#x", "") is None


def test_links_to_tag_anchors_are_valid(tmp_path):
    site = FixtureSite(tmp_path, {
        "index.md": page("# Home\n\nSee [Celery articles](tags.md#tag:celery).\n", tags=["celery"]),
        "tags.md": page("# Tags\n\n<!-- material/tags -->\n"),
    }, plugins=["tags"])
    site.commit_all()
    result = site.build(env=TODAY)
    assert "broken link" not in result.output, result.output
    assert 'id="tag:celery"' in (result.site_dir / "tags" / "index.html").read_text()


def test_pages_with_spaces_and_accents_in_their_names(tmp_path):
    site = FixtureSite(tmp_path, {
        "index.md": page("""
            # Home

            [a](my%20page.md), [b](<my page.md>), [c](caf%C3%A9.md), [d](café.md), [e](my%20page.md#steps)
            """),
        "my page.md": page("# My page\n\n## Steps\n"),
        "café.md": page("# Café\n"),
    })
    site.commit_all()
    result = site.build(env=TODAY)
    assert result.code == 0, result.output


def test_hint_for_a_misspelt_page_with_a_space_is_not_the_link_itself(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\n[a](my%20pgae.md)\n"), "my page.md": page("# My page\n")})
    site.commit_all()
    result = site.build(env=TODAY)
    assert ("docs/index.md:12: broken link 'my%20pgae.md': links to 'my pgae.md', which does not exist in the docs "
            "(did you mean 'my page.md'?)") in result.output


def test_links_inside_html_comments_are_not_checked(tmp_path):
    site = two_pages(tmp_path, """
        # Home

        <!-- Old: [matrix](guide/old-escalation.md) and <a href="gone/">gone</a> -->

        <!--
        <span id="dup"></span><span id="dup"></span>
        -->
        """)
    result = site.build(env=TODAY)
    assert result.code == 0, result.output


def test_wrong_case_link_suggests_the_same_page_in_its_case(tmp_path):
    site = two_pages(tmp_path, "# Home\n\n[x](Guide/Escalation.md)\n")
    (site.docs / "guide" / "elevation.md").write_text(page("# Elevation\n"))
    site.commit_all()
    result = site.build(env=TODAY)
    assert "broken link 'Guide/Escalation.md': links to 'Guide/Escalation.md', which does not exist in the docs " \
           "(did you mean 'guide/escalation.md'?)" in result.output


def test_link_to_a_redirects_old_path_names_where_the_page_moved(tmp_path):
    site = two_pages(tmp_path, "# Home\n\n[old](old/escalation.md#escalation-matrix)\n",
                     redirects={"old/escalation.md": "guide/escalation.md"})
    result = site.build(env=TODAY)
    assert ("docs/index.md:12: broken link 'old/escalation.md#escalation-matrix': links to 'old/escalation.md', "
            "which moved to 'guide/escalation.md' (a redirect in mkdocs.yml) "
            "(link to 'guide/escalation.md#escalation-matrix')") in result.output


def test_suggestion_keeps_the_anchor_when_the_suggested_page_has_it(tmp_path):
    site = FixtureSite(tmp_path, {
        "index.md": page("# Home\n\n[a](runbooks/api-timeout.md#step-2) and [b](runbooks/api-timeout.md#nope)\n"),
        "runbooks/external-api-timeouts.md": page("# External API timeouts\n\n## Step 2\n"),
    })
    site.commit_all()
    result = site.build(env=TODAY)
    assert "(did you mean 'runbooks/external-api-timeouts.md#step-2'?)" in result.output
    assert "broken link 'runbooks/api-timeout.md#nope': links to 'runbooks/api-timeout.md', which does not exist " \
           "in the docs (did you mean 'runbooks/external-api-timeouts.md'?)" in result.output


def test_suggestions_at_scale_are_memoised_and_prefiltered():
    from hooks.links.suggest import Closest
    names = [f"p{i // 50}/page-{i}.md" for i in range(1000)]
    closest = Closest(names)
    assert closest("q3/page-170.md") == "p3/page-170.md"        # a moved folder: the same file name
    assert closest("p3/pgae-170.md") == "p3/page-170.md"        # a typo, through the trigram prefilter
    assert closest("P3/Page-170.md") == "p3/page-170.md"        # case
    assert closest("nothing/like/this.txt") is None
