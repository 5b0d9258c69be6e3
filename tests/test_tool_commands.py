"""Commands and manifests on the pages, checked by the real tools that run here offline:
every ``amtool`` and ``promtool`` invocation against the binary's own help, and every
Kubernetes manifest in a page against the Kubernetes 1.31 schemas (kubernetes-validate)."""
from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml
from db.pages import page_blocks, pages

from hooks.codeblocks.commands import split_commands

ROOT = Path(__file__).resolve().parent.parent
TOOLS = {"amtool": "prometheus-alertmanager", "promtool": "prometheus"}
SHELL = ("bash", "sh", "shell", "console")


def invocations():
    """(where, tool, argv after the tool) for every amtool/promtool command in the pages."""
    found = []
    for path in pages():
        for item in page_blocks(path, SHELL):
            code = item.code
            if item.block.language == "console":
                code = "\n".join(l.split("$ ", 1)[1] for l in code.split("\n") if l.lstrip().startswith("$ "))
            for line, argv in split_commands(code):
                for index, token in enumerate(argv):
                    if token.rsplit("/", 1)[-1] in TOOLS and (index == 0 or argv[index - 1] in ("--", "exec")):
                        found.append((f"{item.path}:{item.block.line + line}", token.rsplit("/", 1)[-1], argv[index + 1:]))
    return found


@cache
def help_text(tool: str, words: tuple[str, ...]) -> str | None:
    done = subprocess.run([tool, *words, "--help"], capture_output=True, text=True, timeout=30)
    return done.stdout + done.stderr if done.returncode == 0 else None


def command_path(tool: str, args: list[str]) -> tuple[tuple[str, ...], str]:
    """The longest run of leading words that is a real (sub)command, and its help."""
    words = [a for a in args if not a.startswith("-")]
    best = ((), help_text(tool, ()))
    for size in range(1, min(3, len(words)) + 1):
        candidate = tuple(words[:size])
        text = help_text(tool, candidate)
        if text is None or f"usage: {tool} {' '.join(candidate)}" not in text.lower():
            break
        best = (candidate, text)
    return best


INVOCATIONS = invocations()


def test_pages_use_the_tools():
    assert {tool for _, tool, _ in INVOCATIONS} == set(TOOLS)


@pytest.mark.parametrize("where, tool, args", INVOCATIONS, ids=[f"{w} {t}" for w, t, _ in INVOCATIONS])
def test_command_and_flags_exist_in_the_real_tool(where, tool, args):
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed: apt-get install -y {TOOLS[tool]}")
    path, text = command_path(tool, args)
    assert path, f"{where}: '{tool} {' '.join(args[:2])}' is not a {tool} command"
    flags = [a.split("=", 1)[0] for a in args if a.startswith("--")]
    unknown = [f for f in flags if f not in text]
    assert not unknown, f"{where}: '{tool} {' '.join(path)}' has no flag {', '.join(unknown)}"


# Custom resources have no schema in kubernetes-validate; the Prometheus Operator's are
# checked through what they carry (the rules file, by promtool in tests/test_alerts.py).
CUSTOM_RESOURCE_GROUPS = {"monitoring.coreos.com"}


def manifests():
    found = []
    for path in pages():
        for item in page_blocks(path, ("yaml", "yml")):
            try:
                documents = list(yaml.safe_load_all(item.code))
            except yaml.YAMLError:
                continue  # a YAML error fails the build already (hooks/codeblocks)
            for document in documents:
                if isinstance(document, dict) and isinstance(document.get("apiVersion"), str) and "kind" in document \
                        and document["apiVersion"].split("/")[0] not in CUSTOM_RESOURCE_GROUPS:
                    found.append((f"{item.path}:{item.block.line}", document))
    return found


MANIFESTS = manifests()


@pytest.mark.parametrize("where, manifest", MANIFESTS, ids=[w for w, _ in MANIFESTS])
def test_kubernetes_manifests_on_pages_are_valid(where, manifest):
    import kubernetes_validate
    try:
        kubernetes_validate.validate(manifest, "1.31", strict=True)
    except kubernetes_validate.ValidationError as exc:
        pytest.fail(f"{where}: {manifest['kind']} is not valid for Kubernetes 1.31: {str(exc).splitlines()[0]}")


def test_pages_carry_manifests():
    assert MANIFESTS, "no Kubernetes manifest found on the pages: the extractor is broken"


def test_a_wrong_flag_is_caught():
    _, text = command_path("amtool", ["silence", "add"])
    assert "--comment" in text and "--frobnicate" not in text
