"""First view of /insights/ on a throttled phone, in a real Chromium, against gunicorn + whitenoise.

    .venv/bin/python benchmarks/bench_page_load.py [--runs 3] [--page /insights/]

Sets up a throw-away var directory (SQLite, the demo couple's ~120 days, ``collectstatic`` with
hashed, gzip/brotli files), serves it with gunicorn (DEBUG off, loopback only, stopped at the end),
signs in as Alex, then for each run clears the browser cache and loads the page with Chrome
DevTools' "Fast 3G" profile (Network.emulateNetworkConditions: 562.5 ms latency, 180 kB/s down,
84 kB/s up) and a 4x CPU slowdown (Emulation.setCPUThrottlingRate). Prints, per run and as
medians: DOMContentLoaded, the load event (the page and its words are there: the target is < 3 s),
Largest Contentful Paint, the moment every chart is drawn, and the bytes sent over the network.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 180_000,
    "uploadThroughput": 84_375,
}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def measure(base: str, page_path: str, runs: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport=PHONE, base_url=base, is_mobile=True)
        page = context.new_page()
        page.goto("/account/login/")
        page.get_by_label("Email address").fill("alex@example.com")
        page.get_by_label("Password").fill("counterpoint-demo")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/home/")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        sizes: dict[str, float] = {}
        cdp.on(
            "Network.loadingFinished",
            lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
        )
        for _ in range(runs):
            page.goto("about:blank")
            cdp.send("Network.clearBrowserCache")
            cdp.send("Network.emulateNetworkConditions", FAST_3G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            sizes.clear()
            page.goto(page_path, wait_until="load", timeout=120_000)
            page.wait_for_function(
                "!document.querySelector('.plotly-graph-div') || "
                "document.documentElement.dataset.chartsReady === '1'",
                timeout=120_000,
            )
            charts_ms = page.evaluate("performance.now()")
            timing = page.evaluate(
                """() => new Promise((done) => {
                    const nav = performance.getEntriesByType('navigation')[0];
                    let lcp = 0;
                    new PerformanceObserver((list) => {
                        for (const e of list.getEntries()) lcp = Math.max(lcp, e.startTime);
                    }).observe({type: 'largest-contentful-paint', buffered: true});
                    setTimeout(() => done({dcl: nav.domContentLoadedEventEnd,
                                           load: nav.loadEventEnd, lcp}), 100);
                })"""
            )
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            results.append({**timing, "charts": charts_ms, "kb": sum(sizes.values()) / 1000})
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", default="/insights/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cp-bench-page-") as var:
        env = {**os.environ, "COUNTERPOINT_VAR_DIR": var, "DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        dev = {**env, "DEBUG": "1"}  # the demo couple is created in development mode only
        for cmd, cmd_env in (
            (["migrate", "--noinput", "-v", "0"], dev),
            (["demo"], dev),
            (["collectstatic", "--noinput", "-v", "0"], env),
        ):
            subprocess.run(
                [PY, "manage.py", *cmd],
                cwd=ROOT,
                env=cmd_env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = _free_port()
        server = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "counterpoint.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_up(port)
            rows = measure(f"http://127.0.0.1:{port}", args.page, args.runs)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"First view of {args.page}: Fast 3G (562.5 ms, 180 kB/s) + 4x CPU slowdown, "
        f"phone 390x844, empty cache, {args.runs} runs"
    )
    print(
        f"{'run':>4} {'DOMContentLoaded':>17} {'load':>8} {'LCP':>8} {'charts drawn':>13} {'kB sent':>8}"
    )
    for i, r in enumerate(rows, 1):
        print(
            f"{i:>4} {r['dcl'] / 1000:>16.2f}s {r['load'] / 1000:>7.2f}s {r['lcp'] / 1000:>7.2f}s "
            f"{r['charts'] / 1000:>12.2f}s {r['kb']:>8.0f}"
        )
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(
        f"{'med':>4} {med['dcl'] / 1000:>16.2f}s {med['load'] / 1000:>7.2f}s {med['lcp'] / 1000:>7.2f}s "
        f"{med['charts'] / 1000:>12.2f}s {med['kb']:>8.0f}"
    )
    print("target: load < 3 s —", "met" if med["load"] < 3000 else "NOT met")


if __name__ == "__main__":
    main()
