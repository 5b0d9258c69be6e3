"""Are the kubectl and celery commands in the pages real commands with real flags?

Debian's kubectl is 1.20, too old to ask, so kubectl is checked against an allow-list taken
from the kubectl 1.31 reference (kubernetes.io/docs/reference/kubectl). Celery's allow-list
is checked against the installed celery's own ``--help`` output by tests/test_codeblocks.py,
so it cannot claim a flag celery does not have.
"""
from __future__ import annotations

import re

KUBECTL_VERSION = "1.31"

# Flags accepted by every kubectl command; True = takes a value.
KUBECTL_GLOBAL = {"-n": True, "--namespace": True, "--context": True, "--kubeconfig": True, "--cluster": True,
                  "--user": True, "--request-timeout": True, "-v": True, "--v": True, "--as": True, "-s": True,
                  "--server": True}
_OUT = {"-o": True, "--output": True, "--no-headers": False, "--show-labels": False, "--sort-by": True,
        "-l": True, "--selector": True, "--field-selector": True, "-A": False, "--all-namespaces": False,
        "-w": False, "--watch": False, "--watch-only": False, "-L": True, "--label-columns": True,
        "--ignore-not-found": False, "-f": True, "--filename": True, "--chunk-size": True,
        "--show-kind": False, "--output-watch-events": False, "--subresource": True, "-R": False, "--recursive": False}
_DRY = {"--dry-run": True, "-o": True, "--output": True}

KUBECTL = {
    "get": _OUT,
    "describe": {"-l": True, "--selector": True, "-A": False, "--all-namespaces": False, "--show-events": True,
                 "-f": True, "--filename": True},
    "logs": {"-f": False, "--follow": False, "--tail": True, "--since": True, "--since-time": True,
             "-p": False, "--previous": False, "-c": True, "--container": True, "--all-containers": False,
             "--timestamps": False, "-l": True, "--selector": True, "--prefix": False, "--max-log-requests": True,
             "--limit-bytes": True, "--pod-running-timeout": True, "--ignore-errors": False},
    "exec": {"-i": False, "--stdin": False, "-t": False, "--tty": False, "-c": True, "--container": True,
             "-q": False, "--quiet": False, "--pod-running-timeout": True},
    "top": {"--containers": False, "-l": True, "--selector": True, "--sort-by": True, "--no-headers": False,
            "-A": False, "--all-namespaces": False, "--sum": False, "--use-protocol-buffers": False},
    "scale": {"--replicas": True, "--current-replicas": True, "--timeout": True, "-l": True, "--selector": True,
              "--all": False, "-f": True, "--filename": True, **_DRY},
    "rollout": {"--timeout": True, "-w": False, "--watch": False, "--revision": True, "--to-revision": True,
                "-l": True, "--selector": True, "-f": True, "--filename": True, **_DRY},
    "port-forward": {"--address": True, "--pod-running-timeout": True},
    "apply": {"-f": True, "--filename": True, "-k": True, "--kustomize": True, "--server-side": False,
              "--prune": False, "-l": True, "--selector": True, "--force-conflicts": False, "--field-manager": True,
              "--validate": True, "-R": False, "--recursive": False, "--wait": False, "--timeout": True, **_DRY},
    "delete": {"-f": True, "--filename": True, "-l": True, "--selector": True, "--grace-period": True,
               "--force": False, "--now": False, "--wait": True, "--timeout": True, "--all": False,
               "--ignore-not-found": False, "--cascade": True, "--field-selector": True, **_DRY},
    "patch": {"-p": True, "--patch": True, "--type": True, "-f": True, "--filename": True, "--subresource": True,
              "--patch-file": True, **_DRY},
    "set": {"-l": True, "--selector": True, "--all": False, "-c": True, "--containers": True, "--env": True,
            "-e": True, "--from": True, "--limits": True, "--requests": True, "-f": True, "--filename": True, **_DRY},
    "create": {"--from-literal": True, "--from-file": True, "--from-env-file": True, "--type": True,
               "--from": True, "--image": True, "-f": True, "--filename": True, "--save-config": False, **_DRY},
    "auth": {"--list": False, "--as-group": True, "--subresource": True, "-A": False, "--all-namespaces": False,
             "-q": False, "--quiet": False},
    "wait": {"--for": True, "--timeout": True, "-l": True, "--selector": True, "--all": False, "-f": True,
             "--filename": True},
    "run": {"--image": True, "--rm": False, "-i": False, "--stdin": False, "-t": False, "--tty": False,
            "--restart": True, "--command": False, "--env": True, "--overrides": True, "--labels": True,
            "--attach": False, "--port": True, "--image-pull-policy": True, **_DRY},
    "debug": {"--image": True, "-i": False, "-t": False, "--stdin": False, "--tty": False, "--target": True,
              "--copy-to": True, "--profile": True, "-c": True, "--container": True, "--share-processes": False},
    "events": {"--for": True, "--types": True, "-w": False, "--watch": False, "-o": True, "--output": True,
               "-A": False, "--all-namespaces": False, "--no-headers": False},
    "annotate": {"--overwrite": False, "-l": True, "--selector": True, "--all": False, "--local": False,
                 "-f": True, "--filename": True, "--list": False, "--resource-version": True, **_DRY},
    "label": {"--overwrite": False, "-l": True, "--selector": True, "--all": False, "--local": False,
              "-f": True, "--filename": True, "--list": False, "--resource-version": True, **_DRY},
    "cordon": {"-l": True, "--selector": True, **_DRY},
    "uncordon": {"-l": True, "--selector": True, **_DRY},
    "drain": {"--ignore-daemonsets": False, "--delete-emptydir-data": False, "--force": False,
              "--grace-period": True, "--timeout": True, "--pod-selector": True, "--disable-eviction": False, **_DRY},
    "cp": {"-c": True, "--container": True, "--retries": True},
    "config": {"-o": True, "--output": True, "--minify": False, "--raw": False, "--flatten": False},
    "version": {"--client": False, "-o": True, "--output": True},
    "cluster-info": {},
    "api-resources": {"--namespaced": True, "--api-group": True, "-o": True, "--output": True, "--verbs": True},
    "explain": {"--recursive": False, "--api-version": True},
    "diff": {"-f": True, "--filename": True, "-k": True, "--server-side": False},
    "autoscale": {"--min": True, "--max": True, "--cpu-percent": True, "--name": True, **_DRY},
    "edit": {"-o": True, "--output": True},
    "replace": {"-f": True, "--filename": True, "--force": False},
    "attach": {"-c": True, "--container": True, "-i": False, "-t": False},
}
KUBECTL_SUBVERBS = {
    "rollout": {"status", "restart", "undo", "history", "pause", "resume"},
    "top": {"pod", "pods", "po", "node", "nodes", "no"},
    "set": {"image", "env", "resources", "selector", "serviceaccount"},
    "create": {"secret", "job", "configmap", "namespace", "deployment", "service", "serviceaccount", "cronjob", "token"},
    "auth": {"can-i", "whoami", "reconcile"},
    "config": {"current-context", "get-contexts", "use-context", "view", "set-context", "get-clusters"},
}

CELERY_SUBCOMMANDS = {"worker", "beat", "inspect", "control", "status", "purge", "result", "call", "events",
                      "report", "migrate", "shell", "list", "multi", "graph", "upgrade", "amqp"}
CELERY_INSPECT = {"active", "active_queues", "clock", "conf", "objgraph", "ping", "query_task", "registered",
                  "report", "reserved", "revoked", "scheduled", "stats", "memdump", "memsample"}
CELERY_CONTROL = {"add_consumer", "autoscale", "cancel_consumer", "disable_events", "election", "enable_events",
                  "heartbeat", "pool_grow", "pool_restart", "pool_shrink", "rate_limit", "revoke", "shutdown",
                  "terminate", "time_limit"}
# Flags by where they may stand: before the subcommand, or after it.
CELERY_GLOBAL = {"-A", "--app", "-b", "--broker", "--result-backend", "--loader", "--config", "--workdir",
                 "-C", "--no-color", "-q", "--quiet", "--version", "--skip-checks"}
CELERY_SUB_FLAGS = {
    "inspect": {"-t", "--timeout", "-d", "--destination", "-j", "--json", "-q", "--quiet"},
    "control": {"-t", "--timeout", "-d", "--destination", "-j", "--json", "-q", "--quiet"},
    "status": {"-t", "--timeout", "-d", "--destination", "-j", "--json"},
    "purge": {"-f", "--force", "-Q", "--queues", "-X", "--exclude-queues"},
    "worker": {"-Q", "--queues", "-c", "--concurrency", "-l", "--loglevel", "-n", "--hostname", "-P", "--pool",
               "-E", "--task-events", "--prefetch-multiplier", "--max-tasks-per-child", "--max-memory-per-child",
               "-O", "--autoscale", "--without-heartbeat", "--without-gossip", "--without-mingle"},
    "result": {"-t", "--task", "--traceback"},
    "events": {"-d", "--dump", "-c", "--camera", "--frequency", "-F", "-l", "--loglevel"},
    "call": {"-a", "--args", "-k", "--kwargs", "--queue", "--countdown", "--eta"},
    "list": set(), "report": set(), "shell": set(), "beat": {"-l", "--loglevel", "-s", "--schedule"},
    "migrate": {"-n", "--limit", "-t", "--timeout", "-a", "--ack-messages", "-T", "--tasks", "-Q", "--queues",
                "-F", "--forever"},
    "multi": set(), "graph": set(), "upgrade": set(), "amqp": set(),
}


# A shell word is a run of unquoted characters and quoted strings; operators stand alone.
# (shlex does the same in pure Python, about ten times slower.)
_TOKEN = re.compile(r"""(?:[^\s'"|;&()]+|'[^']*'|"(?:\\.|[^"\\])*")+|\|\||&&|[|;&()]""")
_QUOTED = re.compile(r"'([^']*)'|\"((?:\\.|[^\"\\])*)\"")


def tokenize(line: str) -> list[str]:
    tokens = []
    for match in _TOKEN.finditer(line):
        word = match.group(0)
        if word.startswith("#"):
            break  # a comment to the end of the line
        tokens.append(_QUOTED.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), word))
    return tokens


def split_commands(code: str, tools: tuple[str, ...] | None = None) -> list[tuple[int, list[str]]]:
    """Simple commands of a shell block with their line: continuations joined, split on ``|``, ``&&``, ``;``.

    With ``tools``, only lines that mention one of them are split: shlex is pure Python and slow.
    """
    commands: list[tuple[int, list[str]]] = []
    logical, start = "", 1
    for number, line in enumerate(code.split("\n"), 1):
        if not logical:
            start = number
        stripped = line.rstrip()
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        logical += line
        if logical.lstrip().startswith("#") or (tools and not any(tool in logical for tool in tools)):
            logical = ""
            continue
        tokens = tokenize(logical)
        current: list[str] = []
        for token in tokens:
            if token and set(token) <= set("|&;()"):
                if current:
                    commands.append((start, current))
                current = []
            else:
                current.append(token)
        if current:
            commands.append((start, current))
        logical = ""
    return commands


def _tool_invocations(argv: list[str]) -> list[list[str]]:
    """``kubectl ...`` and ``celery ...`` inside a command, including after ``exec ... --``."""
    found = []
    for index, token in enumerate(argv):
        name = token.rsplit("/", 1)[-1]
        if name in ("kubectl", "celery") and (index == 0 or argv[index - 1] in ("--", "sudo", "watch", "time", "exec")
                                               or re.fullmatch(r"[A-Z_]+=\S*", argv[index - 1] or "")):
            found.append([name] + argv[index + 1:])
    return found


def _flags(args: list[str], spec: dict[str, bool]) -> tuple[list[str], list[str]]:
    """Split arguments into (flags as written, positionals), expanding ``-it`` into ``-i -t``."""
    flags, positionals, index = [], [], 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            break
        if arg.startswith("--"):
            name = arg.split("=", 1)[0]
            flags.append(name)
            if "=" not in arg and spec.get(name):
                index += 1
        elif arg.startswith("-") and len(arg) > 1 and not arg[1].isdigit():
            letters = arg[1:]
            if f"-{letters[0]}" in spec and spec[f"-{letters[0]}"]:
                flags.append(f"-{letters[0]}")
                if len(letters) == 1:
                    index += 1
            else:
                flags.extend(f"-{letter}" for letter in letters)
        else:
            positionals.append(arg)
        index += 1
    return flags, positionals


def check_kubectl(args: list[str]) -> str | None:
    verb_index = next((i for i, a in enumerate(args) if not a.startswith("-")), None)
    # Global flags with values may come before the verb (kubectl -n ns get pods).
    while verb_index is not None and verb_index > 0 and KUBECTL_GLOBAL.get(args[verb_index - 1]):
        nxt = [i for i, a in enumerate(args[verb_index + 1:], verb_index + 1) if not a.startswith("-")]
        verb_index = nxt[0] if nxt else None
    if verb_index is None:
        return "kubectl without a command"
    verb = args[verb_index]
    if verb not in KUBECTL:
        return f"'kubectl {verb}' is not a kubectl {KUBECTL_VERSION} command"
    spec = {**KUBECTL_GLOBAL, **KUBECTL[verb]}
    flags, positionals = _flags(args[:verb_index] + args[verb_index + 1:], spec)
    if verb in KUBECTL_SUBVERBS and positionals and positionals[0] not in KUBECTL_SUBVERBS[verb] \
            and not positionals[0].startswith("PLACEHOLDER_"):
        return f"'kubectl {verb} {positionals[0]}' is not a kubectl {KUBECTL_VERSION} command"
    if verb == "auth" and positionals and positionals[0] == "can-i":
        spec["--as"] = True
    unknown = [flag for flag in flags if flag not in spec]
    if unknown:
        return f"'kubectl {verb}' has no flag {', '.join(unknown)} (kubectl {KUBECTL_VERSION})"
    return None


def check_celery(args: list[str]) -> str | None:
    index, before = 0, []
    while index < len(args) and args[index].startswith("-"):
        name = args[index].split("=", 1)[0]
        before.append(name)
        index += 1 if "=" in args[index] or name in ("-C", "--no-color", "-q", "--quiet", "--version", "--skip-checks") else 2
    unknown = [flag for flag in before if flag not in CELERY_GLOBAL]
    if unknown:
        return f"celery has no global option {', '.join(unknown)}"
    if index >= len(args):
        return None
    sub = args[index]
    if sub not in CELERY_SUBCOMMANDS:
        return f"'celery {sub}' is not a celery command"
    rest = args[index + 1:]
    if sub in ("inspect", "control"):
        names = CELERY_INSPECT if sub == "inspect" else CELERY_CONTROL
        words = [a for a in rest if not a.startswith("-")]
        if not words or words[0] not in names:
            return f"'celery {sub} {words[0] if words else ''}' is not a celery {sub} command; known: {', '.join(sorted(names))}"
    allowed = CELERY_SUB_FLAGS.get(sub, set()) | CELERY_GLOBAL
    unknown = [a.split("=", 1)[0] for a in rest if a.startswith("-") and a.split("=", 1)[0] not in allowed]
    if unknown:
        return f"'celery {sub}' has no option {', '.join(unknown)}"
    return None


def check_commands(code: str) -> list[tuple[int, str]]:
    problems = []
    for line, argv in split_commands(code, tools=("kubectl", "celery")):
        for invocation in _tool_invocations(argv):
            checker = check_kubectl if invocation[0] == "kubectl" else check_celery
            message = checker(invocation[1:])
            if message:
                problems.append((line, message))
    return problems
