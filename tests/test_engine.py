"""The engine itself: which code runs, how it is configured, and the order of its concerns."""
from __future__ import annotations

import inspect
import re

import yaml
from sites import FixtureSite, page


def _site(tmp_path, pages=None, **extra_settings) -> FixtureSite:
    site = FixtureSite(tmp_path, pages or {"index.md": page("# Home\n\n[missing](nowhere.md)\n")})
    if extra_settings:
        config_file = tmp_path / "mkdocs.yml"
        config = yaml.safe_load(config_file.read_text())
        config["extra"]["portal"].update(extra_settings)
        config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    site.commit_all()
    return site


def test_build_runs_this_checkouts_hooks_even_when_another_is_importable(tmp_path):
    # Another checkout's package named 'hooks', first on the path, that would fail loudly if run.
    impostor = tmp_path / "elsewhere" / "hooks"
    impostor.mkdir(parents=True)
    (impostor / "__init__.py").write_text("")
    (impostor / "build.py").write_text("raise RuntimeError('ran another checkout of the hooks')\n")
    (impostor / "report.py").write_text("raise RuntimeError('ran another checkout of the hooks')\n")
    site = _site(tmp_path / "site")
    result = site.build(env={"PYTHONPATH": str(impostor.parent)})
    assert "another checkout" not in result.output
    assert "docs/index.md:12: broken link 'nowhere.md'" in result.output  # our link check ran
    assert result.code == 1


def test_missing_settings_file_fails_at_start_naming_the_setting(tmp_path):
    site = _site(tmp_path, schema_file="data/no-such-schema.sql")
    result = site.build()
    assert result.code == 1
    assert "extra.portal.schema_file" in result.output
    assert "no-such-schema.sql" in result.output and "isn't an existing file" in result.output
    assert "Traceback" not in result.output


def test_settings_paths_are_relative_to_mkdocs_yml(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "facts.yml").write_text("k8s:\n  namespace: elsewhere\n")
    site = _site(tmp_path, {"index.md": page("# Home\n\nNamespace {{ facts.k8s.namespace }}.\n")},
                 facts_file="data/facts.yml")
    result = site.build()
    assert result.code == 0, result.output
    assert "Namespace elsewhere." in (result.site_dir / "index.html").read_text()


def test_unknown_setting_is_named_with_the_closest_one(tmp_path):
    site = _site(tmp_path, shema_file="data/schema.sql")
    result = site.build()
    assert result.code == 1
    assert "extra.portal.shema_file: not a portal setting (did you mean 'schema_file'?)" in result.output
    assert "mkdocs.yml:" in result.output


def test_settings_must_be_a_mapping(tmp_path):
    site = _site(tmp_path)
    config_file = tmp_path / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text())
    config["extra"]["portal"] = ["data/facts.yml"]
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    result = site.build()
    assert result.code == 1
    assert "extra.portal must be a mapping" in result.output
    assert "Traceback" not in result.output


def test_each_concern_is_built_after_the_concerns_it_is_given():
    """The event order is the construction order, and a concern only receives earlier ones."""
    from hooks import build

    source = inspect.getsource(build.Build.__init__)
    order = ["sources", "metadata", "dates", "review", "references", "rendered_rules", "articles", "policy_check",
             "runbook_opening", "codeblocks", "status", "cards", "reading", "offline", "links", "published", "search"]
    positions = [source.index(f"{name} = ") for name in order]
    assert positions == sorted(positions)
    assert re.sub(r"\s+", " ", f"({', '.join(order)})") in re.sub(r"\s+", " ", source)


def test_strict_gate_runs_once_and_lists_every_problem(tmp_path):
    site = _site(tmp_path, {"index.md": page("# Home\n\n[a](one.md) and [b](two.md)\n")})
    result = site.build("-q")
    assert result.code == 1
    assert "2 problems in the sources" in result.output
    assert result.output.count("problems in the sources") == 1
