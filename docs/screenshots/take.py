"""Screenshots of every page the demo couple reaches: phone and desktop, light and dark.

    .venv/bin/python docs/screenshots/take.py            # all pages into docs/screenshots/pages/
    .venv/bin/python docs/screenshots/take.py insights   # only paths containing "insights"

It builds a throwaway SQLite database under var/screens/ with the demo couple (Alex and Sam),
serves it with Django's development server, signs in as Alex in Chromium (Playwright), follows
every same-site link from home (one page per URL shape: /journal/3/ and /journal/4/ are one), and
saves a full-page PNG per page in each of the four looks, plus the signed-out pages. The PNGs are
for looking at, not for the repository (docs/screenshots/pages/ is ignored); the four in
README.md are copied from them by hand.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots" / "pages"
VAR = ROOT / "var" / "screens"
PORT = int(os.environ.get("SCREENSHOT_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LOOKS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}
SIGNED_OUT = ["/", "/account/login/", "/account/signup/", "/account/password-reset/"]
# Links that change something, leave the site or are files rather than pages.
SKIP = re.compile(
    r"(logout|sign-out|signout|\.json$|\.csv$|\.ics$|/export|/static/|/media/|/admin)"
)
MAX_PAGES = 120


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def shape(path: str) -> str:
    """One screenshot per URL shape: numbers, dates and long tokens stand for any value, and a
    query counts by its keys only (?week=... is one page whatever the week)."""
    path, _sep, query = path.partition("?")
    keys = "&".join(sorted(part.split("=")[0] for part in query.split("&") if part))
    path = re.sub(r"/(\d+|[0-9a-f-]{16,}|\d{4}-\d{2}-\d{2})(?=/)", "/N", path)
    return f"{path}?{keys}" if keys else path


def name_for(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "welcome"


def serve() -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "COUNTERPOINT_VAR_DIR": str(VAR),
        "DATABASE_URL": f"sqlite:///{VAR / 'db.sqlite3'}",
        "DEBUG": "1",
    }
    env.pop("SITE_URL", None)
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    python = sys.executable
    for command in (["migrate", "--noinput", "-v", "0"], ["demo"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _attempt in range(120):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The development server did not start.")


def sign_in(page: Any) -> None:
    page.goto(f"{BASE}/account/login/")
    page.get_by_label("Email address").fill("alex@example.com")
    page.get_by_label("Password").fill("counterpoint-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")


def crawl(page: Any) -> list[str]:
    """Every page reachable from home by links, one per URL shape, in the order found."""
    seen_shapes: set[str] = set()
    found: list[str] = []
    queue = ["/home/"]
    while queue and len(found) < MAX_PAGES:
        path = queue.pop(0)
        if shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        response = page.goto(f"{BASE}{path}")
        if (
            response is None
            or response.status != 200
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        found.append(path)
        links = _Links()
        links.feed(page.content())
        for href in links.hrefs:
            url = urlsplit(urljoin(f"{BASE}{path}", href))
            if url.netloc != f"127.0.0.1:{PORT}" or SKIP.search(url.path):
                continue
            local = url.path + (f"?{url.query}" if url.query else "")
            if shape(local) not in seen_shapes:
                queue.append(local)
    return found


def main() -> None:
    from playwright.sync_api import sync_playwright

    only = sys.argv[1] if len(sys.argv) > 1 else ""
    OUT.mkdir(parents=True, exist_ok=True)
    server = serve()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            first = browser.new_context(viewport=LOOKS["desktop"])
            page = first.new_page()
            sign_in(page)
            pages = [p for p in crawl(page) if only in p]
            first.close()
            lines = []
            for look, viewport in LOOKS.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(
                        viewport=viewport, color_scheme=scheme, timezone_id="Europe/London"
                    )
                    context.set_default_timeout(30_000)
                    page = context.new_page()
                    for path in [p for p in SIGNED_OUT if only in p]:
                        page.goto(f"{BASE}{path}")
                        out = OUT / f"out-{name_for(path)}-{look}-{scheme}.png"
                        page.screenshot(path=str(out), full_page=True)
                    sign_in(page)
                    for path in pages:
                        page.goto(f"{BASE}{path}")
                        if page.locator("script[data-plotly]").count():
                            # charts arrive after the load event; a chart that never draws is
                            # shot as it is
                            with contextlib.suppress(Exception):
                                page.locator("html[data-charts-ready]").wait_for(
                                    state="attached", timeout=30_000
                                )
                                page.wait_for_timeout(500)
                        out = OUT / f"{name_for(path)}-{look}-{scheme}.png"
                        page.screenshot(path=str(out), full_page=True)
                        lines.append(f"{path} {out.name}")
                    context.close()
            browser.close()
        (OUT / "index.txt").write_text("\n".join(lines) + "\n")
        print(f"{len(pages)} pages, {len(lines)} screenshots in {OUT}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
