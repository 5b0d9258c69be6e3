"""hooks/reading: the HTML rewrites for phones, paper and assistive technology, on the markup
Python-Markdown and Pygments really produce (small fixture sites) and on hand-made inputs."""
from __future__ import annotations

import re

import yaml
from sites import FixtureSite, page

from hooks.codeblocks import safety, syntax
from hooks.reading.compact import unwrap_plain_tokens
from hooks.reading.destructive import destructive_lines, mark_destructive
from hooks.reading.diagrams import frame_diagrams
from hooks.reading.focus import focusable_code
from hooks.reading.markup import plain_text
from hooks.reading.placeholders import keep_placeholders_whole
from hooks.reading.tasklists import name_task_checkboxes

SKIP = syntax.DECLARED_NOT_RUNNABLE


def with_extensions(config_file, *extensions) -> None:
    """The fixture site's config with the real tree's code-block and task-list extensions."""
    config = yaml.safe_load(config_file.read_text())
    config["markdown_extensions"] += list(extensions)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))


def block(language: str, code: str) -> str:
    return f'<div class="language-{language} highlight"><pre><span></span><code>{code}</code></pre></div>'


def mark(html: str) -> str:
    return mark_destructive(html, safety.destructive_commands, SKIP)


def test_whitespace_and_name_tokens_are_unwrapped_and_the_text_is_unchanged():
    html = block("bash", 'kubectl<span class="w"> </span><span class="n">get</span><span class="w"> </span>'
                         '<span class="nb">pods</span>\n')
    out = unwrap_plain_tokens(html)
    assert out.count("<span") == 1 and '<span class="nb">pods</span>' in out
    assert "<pre><code>" in out
    assert plain_text(out) == plain_text(html)


def test_placeholders_in_attributes_scripts_and_diagram_sources_are_left_alone():
    html = ('<p title="&lt;A&gt;">x &lt;A&gt;</p><script>var s = "&lt;A&gt;";</script>'
            '<pre class="mermaid"><code>A --&gt; &lt;A&gt;</code></pre><p>&lt;A&gt;</p>')
    wrapped = '<span class="portal-placeholder">&lt;A&gt;</span>'
    assert keep_placeholders_whole(html) == (
        f'<p title="&lt;A&gt;">x {wrapped}</p><script>var s = "&lt;A&gt;";</script>'
        f'<pre class="mermaid"><code>A --&gt; &lt;A&gt;</code></pre><p>{wrapped}</p>')


def test_placeholders_are_kept_whole_and_other_angle_brackets_are_not_touched():
    html = ('<p><code>SET app.current_tenant_id = \'&lt;TENANT_ID&gt;\';</code> and &lt;ticket&gt; and a&lt;B&gt;c</p>'
            '<a href="x?t=&lt;TENANT_ID&gt;">link</a>')
    out = keep_placeholders_whole(html)
    assert out.count('<span class="portal-placeholder">&lt;TENANT_ID&gt;</span>') == 1
    assert '<span class="portal-placeholder">&lt;B&gt;</span>' in out  # inside a word is still a placeholder
    assert "&lt;ticket&gt;" in out and 'href="x?t=&lt;TENANT_ID&gt;"' in out
    assert plain_text(out) == plain_text(html)


def test_destructive_line_is_marked_with_its_continuation_lines():
    lines = ["kubectl exec -n ai-agents deploy/celery-worker -- \\", "  celery -A app purge -Q enhancements -f",
             "echo done"]
    found = safety.destructive_commands("\n".join(lines))
    assert found == [(2, "celery purge")]
    assert destructive_lines(lines, found) == {1, 2}


def test_destructive_block_gets_a_title_bar_and_marked_lines_copy_the_same_text():
    code = ('kubectl get pods -n ai-agents\n'
            'kubectl <span class="nb">delete</span> pod <span class="s2">&quot;&lt;POD&gt;&quot;</span> -n ai-agents\n')
    html = block("bash", code)
    out = mark(html)
    assert '<span class="filename portal-destructive__title">Destructive: kubectl delete (line 2)</span>' in out
    marked = re.findall(r'<span class="hll portal-destructive__line">(.*?)</span>(?=\n|</code>|$)', out, re.S)
    assert len(marked) == 1 and "delete" in plain_text(marked[0]) and "get pods" not in plain_text(marked[0])
    code_out = re.search(r"<code>(.*)</code>", out, re.S).group(1)
    assert plain_text(code_out) == plain_text(code)  # the copy button copies exactly what it did before


def test_blocks_without_destructive_commands_and_output_blocks_are_left_alone():
    safe = block("bash", "kubectl get pods -n ai-agents\n")
    output = block("text", "pod &quot;x&quot; deleted (kubectl delete pod x --force)\n")
    assert mark(safe) == safe
    assert mark(output) == output


def test_several_destructive_commands_are_all_named():
    html = block("sql", "TRUNCATE jobs;\nSELECT 1;\nDELETE FROM jobs WHERE id = 1;\n")
    out = mark(html)
    assert "Destructive: TRUNCATE, DELETE FROM (lines 1, 3)" in out
    assert out.count("portal-destructive__line") == 2


def test_a_line_whose_spans_cross_lines_is_named_but_not_wrapped():
    html = block("bash", '<span class="s2">&quot;a\nkubectl delete pod x&quot;</span>\n')
    out = mark(html)
    assert "portal-destructive__title" in out and "portal-destructive__line" not in out


def test_task_checkboxes_are_named_by_their_item_in_tight_and_loose_lists():
    tight = ('<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled/>'
             '<span class="task-list-indicator"></span></label> Page <code>on-call</code> &amp; wait</li>')
    loose = ('<li class="task-list-item">\n<p><label class="task-list-control"><input type="checkbox" disabled checked/>'
             '<span class="task-list-indicator"></span></label> Queue below 50</p>\n<ul><li>nested</li></ul></li>')
    assert 'aria-label="Page on-call &amp; wait"' in name_task_checkboxes(tight)
    out = name_task_checkboxes(loose)
    assert 'aria-label="Queue below 50"' in out and "nested" not in re.search(r'aria-label="[^"]*"', out).group()


def test_code_blocks_are_focusable_until_material_decides_and_diagrams_are_framed():
    assert focusable_code("<pre><code>x</code></pre>") == '<pre><code tabindex="0">x</code></pre>'
    assert focusable_code('<pre class="mermaid"><code>x</code></pre>') == '<pre class="mermaid"><code>x</code></pre>'
    framed = frame_diagrams('<p>a</p><pre class="mermaid"><code>graph TD\nA--&gt;B</code></pre>')
    assert framed.startswith('<p>a</p><div class="portal-diagram"><button type="button" class="portal-diagram__enlarge"')
    assert framed.endswith("</pre></div>")


def test_real_pages_keep_their_text_and_lose_elements(tmp_path):
    body = """
        # Queue

        Set `<TENANT_ID>` first.

        - [ ] Check the queue
        - [x] Tell the client

        !!! danger "Deletes every job"
            The purge below cannot be undone.

        ```bash
        kubectl exec -n {{ facts.k8s.namespace }} deploy/celery-worker -- celery -A app purge -Q enhancements -f
        kubectl get pods -n {{ facts.k8s.namespace }} -l app=<APP_LABEL>
        ```
        """
    site = FixtureSite(tmp_path, {"index.md": page(body)})
    with_extensions(tmp_path / "mkdocs.yml", "pymdownx.highlight", "pymdownx.superfences",
                    {"pymdownx.tasklist": {"custom_checkbox": True}})
    site.commit_all()
    result = site.build()
    assert result.code == 0, result.output
    html = (result.site_dir / "index.html").read_text()
    assert "Destructive: celery purge (line 1)" in html
    assert '<span class="portal-placeholder">&lt;APP_LABEL&gt;</span>' in html
    assert '<span class="portal-placeholder">&lt;TENANT_ID&gt;</span>' in html
    assert 'aria-label="Check the queue"' in html and 'aria-label="Tell the client"' in html
    assert '<span class="w">' not in html and '<code tabindex="0">' in html
    command = plain_text(re.search(r'<div class="highlight portal-destructive">.*?<code[^>]*>(.*?)</code>', html, re.S).group(1))
    assert command.splitlines() == [
        "kubectl exec -n ai-agents deploy/celery-worker -- celery -A app purge -Q enhancements -f",
        "kubectl get pods -n ai-agents -l app=<APP_LABEL>"]
