"""A throwaway redis-server on a free loopback port, loaded with Celery-shaped broker data."""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> Redis:
        server = shutil.which("redis-server")
        if not server:
            raise FileNotFoundError("redis-server not found: install Debian's redis-server package")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [server, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.directory), "--protected-mode", "yes", "--enable-debug-command", "local"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while self.cli("PING").stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not answer PING within 10 s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)

    def cli(self, *argv: str, tty: bool = False) -> subprocess.CompletedProcess:
        """redis-cli as a reader runs it: its stdout is a pipe here, so it prints raw replies, as under
        `kubectl exec` without -t; ``tty=True`` asks for the terminal format (redis-cli honours FAKETTY)."""
        env = {**os.environ, "FAKETTY": "1"} if tty else None
        return subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *argv],
                              capture_output=True, text=True, timeout=30, env=env)

    def digest(self) -> str:
        """DEBUG DIGEST of the whole dataset: equal digests mean no key changed."""
        done = self.cli("DEBUG", "DIGEST")
        if done.returncode != 0 or len(done.stdout.strip()) != 40:
            raise RuntimeError(f"DEBUG DIGEST failed: {done.stdout}{done.stderr}")
        return done.stdout.strip()

    def is_write_command(self, name: str) -> bool:
        """Redis's own classification of a command (COMMAND INFO flags), not a list kept here."""
        info = self.cli("COMMAND", "INFO", name).stdout
        return "write" in info.split()


def celery_message(task_id: str, ticket_id: str, tenant_id: str) -> str:
    """A message as kombu puts it on the list: JSON envelope, base64 JSON body, Celery protocol 2 headers."""
    body = base64.b64encode(json.dumps([[ticket_id, tenant_id], {}, {"callbacks": None, "errbacks": None,
                                                                        "chain": None, "chord": None}]).encode()).decode()
    return json.dumps({
        "body": body, "content-encoding": "utf-8", "content-type": "application/json",
        "headers": {"lang": "py", "task": "src.workers.tasks.enhance_ticket", "id": task_id, "shadow": None,
                    "eta": None, "expires": None, "group": None, "retries": 0, "timelimit": [None, None],
                    "root_id": task_id, "parent_id": None, "argsrepr": repr((ticket_id, tenant_id)), "kwargsrepr": "{}",
                    "origin": "gen1@ai-agents-api-7d9f8b6c5-x2kq9"},
        "properties": {"correlation_id": task_id, "reply_to": str(uuid.UUID(int=7)), "delivery_mode": 2,
                       "delivery_info": {"exchange": "", "routing_key": "enhancements"}, "priority": 0,
                       "body_encoding": "base64", "delivery_tag": str(uuid.UUID(int=int(task_id[-4:], 16)))}})


def load_celery_fixture(redis: Redis, queue: str, broker_db: int, result_db: int, tenant_id: str) -> None:
    """The enhancements list, unacked hash and unacked_index zset in the broker db; results in the result db."""
    now = time.time()
    for n in range(25):
        task_id = str(uuid.UUID(int=0xA000 + n))
        redis.cli("-n", str(broker_db), "LPUSH", queue, celery_message(task_id, str(48300 + n), tenant_id))
    for n in range(4):
        task_id = str(uuid.UUID(int=0xB000 + n))
        tag = str(uuid.UUID(int=0xC000 + n))
        redis.cli("-n", str(broker_db), "HSET", "unacked", tag,
                  json.dumps([json.loads(celery_message(task_id, str(48400 + n), tenant_id)), "", queue]))
        redis.cli("-n", str(broker_db), "ZADD", "unacked_index", str(now - 30 * n), tag)
    redis.cli("-n", str(broker_db), "SADD", "_kombu.binding.enhancements", "enhancements\x06\x16\x06\x16enhancements")
    for n in range(5):
        task_id = str(uuid.UUID(int=0xD000 + n))
        redis.cli("-n", str(result_db), "SET", f"celery-task-meta-{task_id}",
                  json.dumps({"status": "SUCCESS", "result": None, "traceback": None, "children": [],
                              "date_done": "2025-11-10T09:41:31.880000", "task_id": task_id}), "EX", "86400")
