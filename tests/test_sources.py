"""hooks/sources: what the build reads. Symbolic links out of the repository, pages that are
not UTF-8, blank pages and front matter built to explode are refused with a short message,
never a traceback, and nothing they contain is echoed."""
from __future__ import annotations

import time

import pytest
from sites import FixtureSite, page

from hooks.sources.files import decode

SECRET_LINE = "root:x:0:0:portal-test-secret-line"


def site_with(tmp_path, pages: dict[str, str] | None = None) -> FixtureSite:
    site = FixtureSite(tmp_path / "repo", {"index.md": page("# Home\n\nWelcome.\n"), **(pages or {})})
    return site


def outside_file(tmp_path, name: str, text: str) -> str:
    target = tmp_path / "elsewhere" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return str(target)


def test_link_to_a_page_outside_the_repository_is_not_published(tmp_path):
    site = site_with(tmp_path)
    target = outside_file(tmp_path, "notes.md", page(f"# Notes\n\n{SECRET_LINE}\n"))
    (site.docs / "notes.md").symlink_to(target)
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert "docs/notes.md: symbolic link that points outside the repository" in result.output
    assert "not published (put the file itself in docs/, or link to where it lives)" in result.output
    assert SECRET_LINE not in result.output
    assert not (result.site_dir / "notes").exists()
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["ops/passwd.md", "ops/.meta.yml", "assets/hosts.txt"])
def test_link_to_a_system_file_is_refused_by_name_without_its_lines(tmp_path, name):
    site = site_with(tmp_path)
    target = outside_file(tmp_path, "passwd", f"{SECRET_LINE}\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n")
    link = site.docs / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert f"docs/{name}: symbolic link that points outside the repository" in result.output
    assert SECRET_LINE not in result.output and "nologin" not in result.output
    assert not list(result.site_dir.rglob("passwd*")) and not list(result.site_dir.rglob("hosts*"))
    assert "Traceback" not in result.output


def test_link_to_a_folder_outside_the_repository_stops_the_build_naming_it(tmp_path):
    site = site_with(tmp_path)
    outside_file(tmp_path, "a.md", page("# A\n"))
    (site.docs / "shared").symlink_to(tmp_path / "elsewhere")
    result = site.build()
    assert result.code == 1
    assert "docs/shared: symbolic link to a folder that points outside the repository" in result.output
    assert "Traceback" not in result.output


def test_dangling_link_and_link_into_git_are_refused(tmp_path):
    site = site_with(tmp_path)
    site.commit_all()
    (site.docs / "gone.md").symlink_to(tmp_path / "repo" / "nowhere.md")
    (site.docs / "config.md").symlink_to(tmp_path / "repo" / ".git" / "config")
    result = site.build()
    assert "docs/gone.md: symbolic link that points to nothing" in result.output
    assert "docs/config.md: symbolic link that points into the repository's .git folder" in result.output
    assert "[core]" not in result.output


def test_link_to_a_file_inside_the_repository_is_a_page(tmp_path):
    site = site_with(tmp_path)
    (site.root / "handbook").mkdir()
    (site.root / "handbook" / "shared.md").write_text(page("# Shared\n\nFrom the handbook.\n"))
    (site.docs / "shared.md").symlink_to(site.root / "handbook" / "shared.md")
    site.commit_all()
    result = site.build()
    assert result.code == 0, result.output
    assert "From the handbook." in (result.site_dir / "shared" / "index.html").read_text()


def test_a_windows_1252_page_names_the_line_and_the_fix(tmp_path):
    site = site_with(tmp_path)
    text = page("# Caf\u00e9\n\nPasted from a word processor: \u201cquoted\u201d \u2013 and more.\n")
    (site.docs / "pasted.md").write_bytes(text.encode("cp1252"))
    site.commit_all()
    result = site.build()
    assert result.code == 1
    line = text.split("\n").index("# Caf\u00e9") + 1
    assert (f"docs/pasted.md:{line}: page is not UTF-8: byte 0xe9 cannot be read (probably Windows-1252 or Latin-1"
            in result.output)
    assert "(re-save it as UTF-8" in result.output
    assert "Traceback" not in result.output and "UnicodeDecodeError" not in result.output


@pytest.mark.parametrize("content, what", [
    (bytes(range(256)) * 8, "page is a binary file, not Markdown text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "page is a binary file, not Markdown text"),
    ("# Notes\n\nSaved by Notepad as \u201cUnicode\u201d.\n".encode("utf-16"), "page is UTF-16 text, not UTF-8"),
])
def test_a_binary_or_utf16_page_is_refused_without_a_traceback(tmp_path, content, what):
    site = site_with(tmp_path)
    (site.docs / "image.md").write_bytes(content)
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert f"docs/image.md: {what}" in result.output
    assert "Traceback" not in result.output
    assert "front matter" not in result.output  # one problem, not a cascade


def test_utf8_with_a_bom_and_windows_line_ends_is_a_valid_page(tmp_path):
    site = site_with(tmp_path)
    text = page("# Caf\u00e9\n\nA valid page, saved with a BOM and CRLF line ends.\n")
    (site.docs / "bom.md").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    site.commit_all()
    result = site.build()
    assert result.code == 0, result.output


def test_a_latin1_folder_defaults_file_is_named(tmp_path):
    site = site_with(tmp_path, {"ops/a.md": page("# A\n")})
    (site.docs / "ops" / ".meta.yml").write_bytes("owner: SRE Team\n# \u00e9quipe\n".encode("latin-1"))
    site.commit_all()
    result = site.build()
    assert "docs/ops/.meta.yml:2: folder defaults file is not UTF-8" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("body", ["", "\n\n", "<!-- to do: write this page -->\n"])
def test_a_page_with_only_front_matter_is_a_blank_page(tmp_path, body):
    site = site_with(tmp_path, {"blank.md": page("") + body})
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert "docs/blank.md:8: page has nothing after its front matter: it would publish a blank page" in result.output


def test_alias_bomb_in_front_matter_gives_a_short_message_quickly(tmp_path):
    bomb = ('---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
            "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ntags: *f\n---\n\n# Bomb\n")
    site = site_with(tmp_path, {"bomb.md": bomb})
    site.commit_all()
    start = time.monotonic()
    result = site.build()
    assert time.monotonic() - start < 120
    assert result.code == 1
    assert len(result.output) < 20_000, f"{len(result.output)} characters of output"
    assert "docs/bomb.md:8: front matter 'tags' = [[[...], [...], [...], [...], ...], " in result.output
    assert "Traceback" not in result.output


def test_huge_values_are_cut_in_messages(tmp_path):
    site = site_with(tmp_path, {"long.md": page("# Long\n", title="T" * 200_000, review="y" * 100_000)})
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert "must be at most 90 characters (has 200000)" in result.output
    assert max(len(line) for line in result.output.splitlines()) < 1_000


def test_decode_keeps_readable_text_of_a_latin1_page():
    decoded = decode("caf\u00e9 ok\n".encode("latin-1"))
    assert decoded.text == "caf\ufffd ok\n" and decoded.line == 1 and not decoded.binary
    assert decode("caf\u00e9".encode()).problem is None
