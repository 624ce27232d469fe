"""Near-identical letters in a real browser: headless Chromium against a real HTTP server over an
index of the example letters (tests/data/ranking_examples/), two of which put the same question
to two ministers. Skipped (not failed) only when no Chromium binary is installed."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from indexer.store import update_index
from search_ui import create_app
CHROMIUM = next((c for c in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
                 if c and Path(c).exists()), None)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "ranking_examples"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary; `make test` installs Debian's chromium")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("similar-browser")
    (root / "corpus").mkdir()
    for letter in EXAMPLES.glob("*.txt"):
        shutil.copy(letter, root / "corpus" / letter.name)
    update_index(root / "index", root / "corpus")
    server = make_server("127.0.0.1", 0, create_app({"INDEX_DIR": root / "index", "PAGE_SIZE": 10}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_same_question_is_one_letter_and_a_click_shows_both(base_url, tmp_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page.set_default_timeout(10_000)
            page.goto(f"{base_url}/?q=wachtlijst+woonzorgcentrum")
            results = page.locator(".results")
            expect(results.locator('a[href^="/brief/vraag_minister_a"]').first).to_be_visible()
            expect(results.locator('a[href^="/brief/vraag_minister_b"]')).to_have_count(0)
            link = page.get_by_role("link", name="+1 vergelijkbare brief")
            expect(link).to_be_visible()
            page.screenshot(path=str(tmp_path / "vergelijkbaar.png"), full_page=True)
            link.click()
            expect(results.locator('a[href^="/brief/vraag_minister_b"]').first).to_be_visible()
            page.get_by_role("link", name="Toon ze als één treffer").click()
            expect(results.locator('a[href^="/brief/vraag_minister_b"]')).to_have_count(0)
        finally:
            browser.close()
