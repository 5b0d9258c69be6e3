"""Every redis-cli command in the pages' ```bash blocks runs against a real redis-server.

The server holds Celery-shaped broker data (the enhancements list, unacked hash, unacked_index
zset in the broker db, result keys in the result db). Read commands must not change any key
(DUMP of every key before and after); commands Redis itself flags as writes must sit under a
warning or danger admonition and run against a second, throwaway server.
"""
from __future__ import annotations

import re

import pytest
from db.pages import facts, redis_commands
from db.redis import Redis, load_celery_fixture
from db.seed import TENANT_A, fill

COMMANDS = redis_commands()
OPTIONS_WITH_VALUE = {"-n", "-h", "-p", "-a", "-u", "-s", "-r", "-i", "--user", "--pass"}


def ids(commands):
    seen: dict[str, int] = {}
    result = []
    for command in commands:
        seen[command.where] = seen.get(command.where, 0) + 1
        result.append(command.where + (f"#{seen[command.where]}" if seen[command.where] > 1 else ""))
    return result


def command_name(argv: list[str]) -> str:
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        index += 2 if argv[index] in OPTIONS_WITH_VALUE else 1
    return argv[index].upper() if index < len(argv) else ""


def loaded_server(directory) -> Redis:
    server = Redis(directory).start()
    load_celery_fixture(server, facts()["celery.queue"], facts()["redis.broker_db"], facts()["redis.result_db"], TENANT_A)
    return server


@pytest.fixture(scope="session")
def redis_servers(tmp_path_factory):
    main = loaded_server(tmp_path_factory.mktemp("redis-main"))
    throwaway = loaded_server(tmp_path_factory.mktemp("redis-throwaway"))
    yield main, throwaway
    main.stop()
    throwaway.stop()


PLACEHOLDERS = {"TASK_ID": "00000000-0000-0000-0000-00000000b000", "TENANT_ID": TENANT_A}


def check(command, main: Redis, throwaway: Redis) -> list[str]:
    argv = [fill(arg, PLACEHOLDERS)[0] for arg in command.argv]
    name = command_name(argv)
    if not name:
        return [f"{command.where}: no Redis command found in: {command.text}"]
    writes = main.is_write_command(name) or name in {"FLUSHALL", "FLUSHDB", "DEBUG", "SHUTDOWN", "CONFIG"}
    if writes and not command.under_warning:
        return [f"{command.where}: '{' '.join(argv)}' changes Redis data but is not under a warning or danger "
                f"admonition that says what it destroys"]
    server = throwaway if writes else main
    before = main.digest()
    done = server.cli(*argv)
    reply = done.stdout.strip()
    problems = []
    if done.returncode != 0 or reply.startswith(("ERR", "WRONGTYPE", "(error)")) or "unknown command" in reply:
        problems.append(f"{command.where}: redis-cli {' '.join(argv)} failed: {reply or done.stderr.strip()}")
    if main.digest() != before:
        problems.append(f"{command.where}: '{' '.join(argv)}' changed the broker's data, so it is not read-only")
    return problems


@pytest.mark.parametrize("command", COMMANDS, ids=ids(COMMANDS))
def test_redis_command_runs(command, redis_servers):
    problems = check(command, *redis_servers)
    assert not problems, "\n".join(problems)


TERMINAL_FORMAT = re.compile(r"^\s*(?:\(integer\) -?\d+|\(nil\)|\(empty (?:array|list or set)\)|\d+\) \S)", re.M)
SHOWN = [c for c in COMMANDS if c.outputs and not c.piped]


@pytest.mark.parametrize("command", SHOWN, ids=ids(SHOWN))
def test_expected_output_is_what_redis_cli_prints(command, redis_servers):
    """`kubectl exec` without -t gives redis-cli a pipe, and redis-cli then prints raw replies
    (`37`, not `(integer) 37`); with -t it prints its terminal format. The page's expected output
    must be the one the reader will see, and of the same kind as the real reply."""
    main, _ = redis_servers
    argv = [fill(arg, PLACEHOLDERS)[0] for arg in command.argv]
    name = command_name(argv)
    if not name or main.is_write_command(name):
        return  # writes run on the throwaway server in test_redis_command_runs
    shown = "\n".join(command.outputs)
    printed = main.cli(*argv, tty=command.tty).stdout
    if not command.tty:
        terminal = TERMINAL_FORMAT.search(shown)
        assert not terminal, (f"{command.where}: the expected output shows redis-cli's terminal format "
                              f"('{terminal.group(0).strip()}') but the command runs without -t, so redis-cli prints "
                              f"raw replies: {printed.strip()[:80]!r}")
    if command.alone and re.fullmatch(r"-?\d+\s*", printed):
        first = next((line.strip() for line in shown.splitlines() if line.strip() and not line.startswith("#")), "")
        assert re.fullmatch(r"(?:\(integer\) )?-?\d+", first), (
            f"{command.where}: {name} answers an integer ({printed.strip()}), but the expected output starts {first!r}")


def test_the_pages_have_redis_commands():
    assert len(COMMANDS) > 20
    assert any(command_name(c.argv) == "LLEN" for c in COMMANDS)


def test_the_fixture_is_shaped_like_celery(redis_servers):
    main, _ = redis_servers
    assert main.cli("-n", "0", "TYPE", "enhancements").stdout.strip() == "list"
    assert main.cli("-n", "0", "TYPE", "unacked").stdout.strip() == "hash"
    assert main.cli("-n", "0", "TYPE", "unacked_index").stdout.strip() == "zset"
    assert int(main.cli("-n", "1", "DBSIZE").stdout) > 0
    assert '"task": "src.workers.tasks.enhance_ticket"' in main.cli("-n", "0", "LINDEX", "enhancements", "-1").stdout


FIXTURE_PAGE = """\
# Fixture

```bash
kubectl exec -n ai-agents redis-0 -- redis-cli -n 0 LLENN enhancements
kubectl exec -n ai-agents redis-0 -- redis-cli -n 0 DEL enhancements
```

!!! danger "Deletes every waiting job"
    Only when the Incident Commander decides the queued jobs are lost anyway.

```bash
watch -n 5 "kubectl exec -n ai-agents redis-0 -- redis-cli -n 0 LTRIM enhancements 0 9"
```
"""


def test_a_fixture_page_with_a_typo_and_an_unguarded_delete_fails(tmp_path, redis_servers):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text(FIXTURE_PAGE, encoding="utf-8")
    typo, delete, guarded = redis_commands(docs, tmp_path)
    main, throwaway = redis_servers
    length = main.cli("-n", "0", "LLEN", "enhancements").stdout.strip()
    assert "docs/page.md:4: redis-cli -n 0 LLENN enhancements failed" in "\n".join(check(typo, main, throwaway))
    assert check(delete, main, throwaway) == [
        "docs/page.md:5: '-n 0 DEL enhancements' changes Redis data but is not under a warning or danger "
        "admonition that says what it destroys"]
    assert guarded.argv == ["-n", "0", "LTRIM", "enhancements", "0", "9"] and guarded.under_warning
    assert check(guarded, main, throwaway) == []
    assert main.cli("-n", "0", "LLEN", "enhancements").stdout.strip() == length  # the throwaway server took it
    assert throwaway.cli("-n", "0", "LLEN", "enhancements").stdout.strip() == "10"
