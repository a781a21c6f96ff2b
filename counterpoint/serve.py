"""``make run``'s supervisor: the web server and the task runner together; Ctrl-C stops both.

Plain Python (no Django import, no extra dependency). Each child runs in its own session so a
terminal's Ctrl-C reaches only this supervisor, which then stops the children in order: the web
server first (no new work), the task runner last (it finishes what it was doing). If either child
dies, the other is stopped too and the exit code says which failed.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

STOP_GRACE_SECONDS = 10


def _die_with_parent() -> None:
    """On Linux, ask the kernel to stop the child if this supervisor is killed outright."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass


def commands(bind: str, web_workers: int) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "web": [
            python,
            "-m",
            "gunicorn",
            "counterpoint.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(web_workers),
            # as measured and documented (docs/deploy.md): a worker keeps serving while one of
            # its requests waits on the database or on Argon2
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ],
        "tasks": [python, "manage.py", "run_huey", "--flush-locks"],
    }


def run(bind: str, web_workers: int) -> int:
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    children: dict[str, subprocess.Popen[bytes]] = {}
    for name, argv in commands(bind, web_workers).items():
        children[name] = subprocess.Popen(argv, start_new_session=True, preexec_fn=_die_with_parent)
        print(f"[serve] started {name} (pid {children[name].pid})", flush=True)

    failed = ""
    while not stop_requested and not failed:
        for name, child in children.items():
            if child.poll() is not None:
                failed = name
                print(f"[serve] {name} exited with {child.returncode}", flush=True)
                break
        time.sleep(0.2)

    # Web first with SIGINT (gunicorn: quick stop); the task runner with SIGINT (huey: finishes
    # the task in hand, then stops).
    for name, how in (("web", signal.SIGINT), ("tasks", signal.SIGINT)):
        child = children[name]
        if child.poll() is None:
            child.send_signal(how)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            print(f"[serve] {name} did not stop in time; killing it", flush=True)
            child.kill()
            child.wait()
    print("[serve] web server and task runner stopped", flush=True)
    if failed:
        return children[failed].returncode or 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    parser.add_argument("--web-workers", type=int, default=2)
    args = parser.parse_args(argv)
    return run(args.bind, args.web_workers)


if __name__ == "__main__":
    sys.exit(main())
