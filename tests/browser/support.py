"""A person in a browser, and the checks run on every page they see.

`Visitor` wraps a Playwright page. Each navigation it makes (`goto`, or an action inside
`navigation()`) is followed by the page checks:

* no JavaScript error and no Content-Security-Policy violation in the console;
* axe-core (from the npm package, injected by the browser itself, so the page's CSP stays on)
  finds no serious or critical accessibility violation;
* the HTML the server sent is kept for the Nu HTML checker, which validates every page of the
  run in one go at the end (`validate_html`);
* a page in Japanese shows no English text from the catalog (`tests.core.support.english_ui_strings`): every
  string of the interface went through a translation.

A page the visitor reached without a check fails the test at the end (`assert_all_checked`), so
a journey cannot skip a page by accident.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, Response

from tests.core.support import english_ui_in

CHECKERS = Path(__file__).resolve().parent / "node_modules"
AXE_SCRIPT = CHECKERS / "axe-core" / "axe.min.js"
VNU_JAR = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"
BLOCKING_IMPACTS = {"serious", "critical"}


def english_on_japanese_page(page: Page) -> list[str]:
    """The catalog's English found in what a reader of this Japanese page sees or hears: the text,
    titles, labels, placeholders and alternative texts."""
    # Text marked as another language (lang="en": the "English" switch, an e-mail written to an
    # English reader) is that language's, not the interface's.
    shown = page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('script, style, [lang]:not([lang|="ja"])').forEach(e => e.remove());
        return [document.title, body.textContent,
            ...[...body.querySelectorAll('[title],[aria-label],[placeholder],[alt],[data-confirm]')].flatMap(
                e => ['title', 'aria-label', 'placeholder', 'alt', 'data-confirm'].map(a => e.getAttribute(a) || ''))
        ].join('\\n'); }""")
    shown = " ".join(shown.split())
    return english_ui_in(shown)


@dataclass
class Report:
    """What the checks saw over the whole run: the HTML of each page for the Nu checker."""

    folder: Path
    pages: list[tuple[str, Path]] = field(default_factory=list)

    def keep_html(self, url: str, html: bytes) -> None:
        path = self.folder / f"page-{len(self.pages) + 1:03d}.html"
        path.write_bytes(html)
        self.pages.append((url, path))


class Visitor:
    def __init__(self, page: Page, base_url: str, report: Report):
        self.page = page
        self.base_url = base_url
        self.report = report
        self._errors: list[str] = []
        self._document: Response | None = None  # the last HTML page the server sent
        self._unchecked: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._on_console)
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda error: self._errors.append(f"page error: {error}"))
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        # Chromium logs every response of 400 or more as "Failed to load resource"; a page that
        # answers 409 or 422 with a message is fine, so statuses are judged in _on_response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self._errors.append(f"console error: {message.text}")

    def _on_dialog(self, dialog) -> None:
        """A person reads the confirmation and says OK."""
        self.dialogs.append(dialog.message)
        dialog.accept()

    def _on_response(self, response: Response) -> None:
        is_page = response.request.is_navigation_request() and response.frame == self.page.main_frame
        if not is_page:
            if response.status >= 400:  # a stylesheet, script, image or icon that is missing
                self._errors.append(f"{response.status} for {response.url}")
        elif response.status >= 500:
            self._errors.append(f"{response.status} for {response.url}")
        elif response.headers.get("content-type", "").startswith("text/html") and not 300 <= response.status < 400:
            self._document = response
            self._unchecked.append(response.url)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Response:
        response = self.page.goto(self.url(path))
        self.check()
        return response

    @contextmanager
    def navigation(self):
        """Wrap an action that leads to a new page (a link, a form): wait for it, then check it."""
        with self.page.expect_navigation():
            yield
        self.check()

    @contextmanager
    def download(self):
        """Wrap an action that downloads a file; `.value` of the result is the Playwright Download."""
        with self.page.expect_download() as info:
            yield info

    def check(self) -> None:
        assert self._document, f"no HTML page was loaded at {self.page.url}"
        self.report.keep_html(self._document.url, self._document.body())
        self._unchecked.clear()
        assert not self._errors, f"{self.page.url}: {self._errors}"
        results = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        blocking = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["html"][:160] for node in violation["nodes"][:3])
            for violation in results["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"axe on {self.page.url}:\n" + "\n".join(blocking)
        if self.page.evaluate("document.documentElement.lang") == "ja":
            english = english_on_japanese_page(self.page)
            assert not english, f"English on the Japanese page {self.page.url}: {english}"

    def assert_all_checked(self) -> None:
        assert not self._unchecked, f"pages reached without the checks: {self._unchecked}"
        assert not self._errors, self._errors


def validate_html(report: Report) -> list[str]:
    """Run the Nu HTML checker once over every page kept; return its errors as readable lines."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML checker (.ci/run installs it)"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make test`, which installs it with npm"
    files = [str(path) for _url, path in report.pages]
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always", *files],
        capture_output=True, text=True, timeout=300, check=True,
    )
    urls = {str(path): url for url, path in report.pages}
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{urls.get(_file_of(m), m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        f" — {m.get('extract', '').strip()}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


def _file_of(message: dict) -> str:
    return re.sub(r"^file:", "", message.get("url", ""))
