"""YAML syntax errors name the line the mistake is on, not the line where the parser gave up."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hooks.facts.values import FactsError, load_yaml
from hooks.yaml_errors import error_line

ROOT = Path(__file__).resolve().parent.parent

# (what the author did, the text, the 1-based line of the mistake)
MISTAKES = [
    ("key without its colon, comment after", "a:\n  b 1  # note\n  c: 2\n", 2),
    ("key without its colon, value runs on", "a:\n  b 1\n  c: 2\n", 2),
    ("tab for indentation", "a:\n\tb: 1\n", 2),
    ("quote never closed", 'a:\n  b: "x\n  c: 2\n', 2),
    ("quote closed by the next line's quote", 'a:\n  b: "x\n  c: "2"\n', 2),
    ("bracket never closed, comment after", "a:\n  b: [1, 2  # note\n  c: 2\n", 2),
    ("bracket never closed at the end", "sla:\n  ack: [5 minutes\n", 2),
    ("brace never closed", "a:\n  b: {x: 1\n  c: 2\n", 2),
    ("key indented less than its siblings", "a:\n  b: 1\n c: 2\n", 3),
    ("second colon in a value", "a:\n  b: 1: 2\n  c: 2\n", 2),
    ("mapping key after a list item", "a:\n  - x\n  y: 1\n", 3),
    ("key without its colon, next key runs on", "a:\n  b 1\n  c 2\n  d: 3\n", 2),
    ("first line", "a: [\n", 1),
]


@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)],
                         ids=["python", "libyaml"])
@pytest.mark.parametrize("what, text, line", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_error_is_on_the_line_of_the_mistake(loader, what, text, line):
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.load(text, Loader=loader)
    assert error_line(text, caught.value) + 1 == line


def test_facts_file_error_names_line_57_of_the_real_file(tmp_path):
    lines = (ROOT / "data/facts.yml").read_text().splitlines(keepends=True)
    key_line = next(n for n, text in enumerate(lines[56:], 57) if ":" in text and not text.lstrip().startswith("#"))
    key, _, rest = lines[key_line - 1].partition(":")
    lines[key_line - 1] = key + rest  # the author drops the colon after a key
    broken = tmp_path / "facts.yml"
    broken.write_text("".join(lines))
    with pytest.raises(FactsError, match=rf"facts.yml:{key_line}: not valid YAML"):
        load_yaml(broken)


def test_yaml_check_names_the_line(tmp_path):
    broken = tmp_path / "values.yml"
    broken.write_text("replicas:\n  min 3\n  max: 10\n")
    done = subprocess.run([sys.executable, "-m", "scripts.check_yaml", str(broken)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(f"{broken}:2: ")


def test_every_yaml_file_in_the_repository_parses():
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "*.yml", "*.yaml"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    assert len(listed) > 20
    done = subprocess.run([sys.executable, "-m", "scripts.check_yaml", *listed], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
