"""The tests' build helper: a build forked from tests/build_server.py answers as a fresh
``python -m mkdocs build`` does, and leaves nothing behind for the next build."""
from __future__ import annotations

import os

from sites import FixtureSite, _BuildServer, page


def broken_site(root):
    site = FixtureSite(root, {"index.md": page("# Home\n\nSee [the runbook](runbooks/gone.md#step-1).\n",
                                               last_updated="2026-01-10")})
    return site


def problem_lines(output: str) -> list[str]:
    return sorted(line.strip() for line in output.splitlines() if "gone.md" in line)


def test_a_forked_build_reports_what_a_fresh_interpreter_reports(tmp_path, monkeypatch):
    site = broken_site(tmp_path / "site")
    forked = _BuildServer()
    code, output = forked.run(site.root, ["build", "--strict", "-d", str(site.root / "a")], dict(os.environ))
    monkeypatch.setenv("PORTAL_TEST_BUILDS", "subprocess")
    fresh_code, fresh_output = _BuildServer().run(site.root, ["build", "--strict", "-d", str(site.root / "b")],
                                                  dict(os.environ))
    assert code == fresh_code == 1
    assert problem_lines(output) == problem_lines(fresh_output) != []


def test_each_build_has_its_own_environment_and_folder(tmp_path):
    first, second = broken_site(tmp_path / "first"), broken_site(tmp_path / "second")
    (second.docs / "index.md").write_text(page("# Home\n\nNothing broken.\n", last_updated="2026-01-10"))
    server = _BuildServer()
    problems = tmp_path / "problems.json"
    code, _ = server.run(first.root, ["build", "--strict", "-d", str(first.root / "site")],
                         {**os.environ, "PORTAL_PROBLEMS_FILE": str(problems)})
    assert code == 1 and "gone.md" in problems.read_text()
    problems.unlink()
    code, output = server.run(second.root, ["build", "--strict", "-d", str(second.root / "site")], dict(os.environ))
    assert code == 0, output
    assert not problems.exists()  # the first build's environment did not carry over
    assert "Nothing broken" in (second.root / "site" / "index.html").read_text()
