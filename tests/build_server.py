"""A process that has imported MkDocs, Material, the Markdown extensions and the hooks once,
and runs each ``mkdocs build`` it is asked for in a fork of itself.

Starting Python and importing MkDocs, the theme and the extensions costs about twice what
building a small fixture site does; a test session builds over a hundred of them. A fork
starts from this process's state, in which nothing has been built yet, so every build is as
isolated as ``python -m mkdocs build`` in a fresh interpreter: its own working directory,
environment, ``sys.path``, output and exit code, and no module state left by another build.
The hooks themselves are still loaded by MkDocs from the site's ``mkdocs.yml``, by path
(hooks/portal.py reloads its package when a site's hooks come from another folder).

Protocol: one JSON object per line on stdin, ``{"cwd", "args", "env", "output"}``; the build's
stdout and stderr go to the file ``output``; the answer is one line ``{"code": <exit code>}``.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

HOOKS = Path(__file__).resolve().parent.parent / "hooks" / "portal.py"


def preload() -> None:
    import markdown  # noqa: F401
    import material.plugins.search.plugin  # noqa: F401
    import mkdocs.__main__
    import mkdocs.commands.build  # noqa: F401
    import pygments.lexers  # noqa: F401
    import pymdownx.highlight
    import pymdownx.superfences  # noqa: F401
    spec = importlib.util.spec_from_file_location("_preloaded_portal_hooks", HOOKS)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


def run_build(cwd: str, args: list[str], env: dict[str, str], output: str) -> int:
    """Run ``mkdocs <args>`` in a child, as ``python -m mkdocs`` would, and return its exit code."""
    pid = os.fork()
    if pid == 0:  # the child: becomes the build, never returns
        code = 1
        try:
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            sys.path[0] = cwd  # what `python -m` puts first
            sys.argv = [sys.executable, *args]
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            sink = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(sink, 1)
            os.dup2(sink, 2)
            from mkdocs.__main__ import cli
            try:
                cli.main(args=args, prog_name="mkdocs")
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main() -> None:
    preload()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        code = run_build(request["cwd"], request["args"], request["env"], request["output"])
        print(json.dumps({"code": code}), flush=True)


if __name__ == "__main__":
    main()
