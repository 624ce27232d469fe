"""The site in a real browser: headless Chromium (Debian's) driven by Playwright, against a real
HTTP server on a free loopback port serving the app over the session's index.

One browser for the module, a fresh context per test. Skipped (not failed) only when no
Chromium binary is installed; `make test` installs it.
"""
from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from indexer.searching import Group, SearchRequest
from search_ui import create_app

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LETTER = "000_57bdeaef467bd125"
SCREENSHOT_COPY = Path("/tmp/brieven-search.png")


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium binary (/usr/bin/chromium); `make test` installs Debian's chromium"
)


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def base_url(index_dir):
    """The app on a real HTTP server in a thread, on a free port of 127.0.0.1."""
    app = create_app({"INDEX_DIR": index_dir, "PAGE_SIZE": 10})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="brieven-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh page; any console error (a CSP violation, a failed load) fails the test."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def phone(browser, base_url):
    """A page on a phone (390 x 844, touch); console errors fail the test."""
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert errors == []


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def search_for(page: Page, query: str) -> None:
    box = page.get_by_label("Zoek in de Kamerbrieven")
    box.fill(query)
    box.press("Enter")


TOPIC_FACET = 'section[aria-labelledby="facet-onderwerp"] .facet-list a'  # not the ministry facet's namesakes


def total(service, query: str, **filters) -> str:
    """The summary's count for a search, as the service answers it."""
    return f"{service.search(SearchRequest(query, **filters)).total} alinea's"


def hit_links(page: Page) -> list[str]:
    return page.locator(".hit-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


# -- tests ------------------------------------------------------------------------------------
def test_type_a_query_and_see_letters_with_marked_paragraphs(page, screenshot_dir, service):
    page.goto("/")
    search_for(page, "rusland")
    page.wait_for_url(re.compile(r"/\?q=rusland$"))
    expected = service.search(SearchRequest("rusland", group=Group.LETTER))
    expect(page.locator("h1.summary")).to_contain_text(
        f"{expected.total} alinea's in {expected.total_letters} brieven")
    marks = page.locator(".snippet mark")
    expect(marks.first).to_have_text(re.compile("^rusland$", re.I))
    assert marks.count() >= 10
    shot = screenshot_dir / "search.png"
    page.screenshot(path=str(shot), full_page=True)
    shutil.copy(shot, SCREENSHOT_COPY)
    print(f"\nscreenshot of the search page: {shot} (copied to {SCREENSHOT_COPY})")


def test_results_per_letter_show_each_letter_once_with_its_best_paragraphs(page, service):
    expected = service.search(SearchRequest("rusland", group=Group.LETTER))
    page.goto("/?q=rusland")
    letters = page.locator("li.letter-result")
    expect(letters).to_have_count(len(expected.letters))
    for n, letter in enumerate(expected.letters):
        item = letters.nth(n)
        expect(item.locator(".hit-title")).to_have_text(letter.title)
        expect(item.locator(".letter-paragraph")).to_have_count(len(letter.hits))
        assert len(letter.hits) <= 3
        if letter.more:
            expect(item.locator(".more-paragraphs")).to_have_text(
                f"+{letter.more} andere alinea{'' if letter.more == 1 else chr(39) + 's'} in deze brief")
    # the same search per paragraph: the view switch, and back
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="per alinea").click()
    page.wait_for_url(re.compile(r"weergave=alinea"))
    expect(page.locator("li.letter-result")).to_have_count(0)
    expect(page.locator("ol.hits > li.hit")).to_have_count(10)
    expect(page.locator("h1.summary")).to_contain_text(f"in {expected.total_letters} brieven")
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="per brief").click()
    page.wait_for_url(re.compile(r"/\?q=rusland$"))
    expect(page.locator("li.letter-result")).to_have_count(len(expected.letters))


def test_suggestions_as_you_type_with_the_keyboard(page):
    page.goto("/")
    box = page.get_by_role("combobox", name="Zoek in de Kamerbrieven")
    box.press_sequentially("oek", delay=30)
    options = page.get_by_role("option")
    expect(options.first).to_have_text(re.compile("^Oekraïne"))  # as the letters write it
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Escape")  # closes the list, keeps what was typed
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_value("oek")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")  # opens it again
    box.press("ArrowDown")  # the first option
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(box).to_have_value(re.compile("^Oekraïne"))
    box.press("Enter")
    page.wait_for_url(re.compile(r"/\?q=Oekra%C3%AFne$"))
    expect(page.locator("h1.summary")).to_contain_text("“Oekraïne”")


def test_a_typo_shows_the_suggestions_results_at_once(page, service):
    page.goto("/?q=Oekriane")
    expected = service.search(SearchRequest("Oekraïne", group=Group.LETTER))
    expect(page.locator("h1.summary")).to_contain_text(f"{expected.total} alinea's")
    notice = page.locator(".searched-instead")
    expect(notice).to_have_text("Resultaten voor Oekraïne — zoek in plaats daarvan naar Oekriane")
    notice.get_by_role("link", name="Oekriane").click()
    page.wait_for_url(re.compile(r"letterlijk=1"))
    expect(page.locator(".empty-state")).to_contain_text("de spelling Oekraïne")


def test_click_a_facet_value_and_see_the_count_and_url_change(page, service, screenshot_dir):
    page.goto("/?q=rusland")
    expect(page.locator(".facet-list a", has_text="China")).to_have_count(0)  # subtopics wait for their theme
    facet = page.locator(TOPIC_FACET, has_text="Buitenlandse zaken")
    shown = re.search(r"\d+", facet.locator(".facet-count").inner_text()).group(0)
    facet.click()
    page.wait_for_url(re.compile(r"onderwerp=buitenland"))
    expect(page.locator("h1.summary")).to_contain_text(f"{shown} alinea's")
    assert f"{shown} alinea's" == total(service, "rusland", topics=["buitenland"])
    expect(page.locator(".chip", has_text="Onderwerp: Buitenlandse zaken")).to_be_visible()
    # the chosen theme shows its subtopics beneath it, indented
    theme = page.locator(TOPIC_FACET, has_text="Buitenlandse zaken")
    sub = page.locator(TOPIC_FACET.replace(" a", " li.facet-sub a"), has_text="Rusland")
    expect(sub).to_be_visible()
    theme_box, sub_box = theme.bounding_box(), sub.bounding_box()
    assert sub_box["y"] > theme_box["y"]  # beneath it ...
    other_theme = page.locator(TOPIC_FACET, has_text="Defensie").locator(".facet-name")
    assert sub.locator(".facet-name").bounding_box()["x"] > other_theme.bounding_box()["x"] + 8  # ... indented
    page.screenshot(path=str(screenshot_dir / "search-theme-chosen.png"), full_page=True)
    sub.click()
    page.wait_for_url(re.compile(r"onderwerp=rusland"))
    expect(page.locator("h1.summary")).to_contain_text(total(service, "rusland", topics=["buitenland", "rusland"]))
    page.locator(".chip", has_text="Onderwerp: Rusland").click()  # the chip removes it again
    page.wait_for_url(re.compile(r"onderwerp=buitenland$"))
    page.locator(".chip", has_text="Onderwerp: Buitenlandse zaken").click()
    page.wait_for_url(re.compile(r"/\?q=rusland$"))
    expect(page.locator("h1.summary")).to_contain_text(total(service, "rusland"))


def test_follow_a_result_to_the_marked_paragraph(page):
    page.goto("/?q=rusland")
    first = page.locator(".hit-title a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(re.compile(r"/brief/[^?#]+\?q=rusland#p\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    assert href.endswith("#" + anchor)
    paragraph = page.locator(f"#{anchor}")
    expect(paragraph).to_be_in_viewport()
    expect(paragraph.locator("mark").first).to_have_text(re.compile("rusland", re.I))
    expect(page.locator("h1")).not_to_be_empty()


def test_a_letter_opened_with_a_query_goes_to_the_first_match(page):
    page.goto(f"/brief/{LETTER}?q=rusland")
    first = page.locator("a.first-hit").get_attribute("href")
    page.wait_for_url(re.compile(re.escape(first) + "$"))
    expect(page.locator(first)).to_be_in_viewport()


def test_the_year_histogram_keeps_every_year_once_one_is_chosen(page, service):
    years = [v.value for v in service.search(SearchRequest("rusland")).facets["year"]]
    page.goto("/?q=rusland")
    page.locator(".histogram a", has_text="2018").click()
    page.wait_for_url(re.compile(r"jaar=2018"))
    expect(page.locator("h1.summary")).to_contain_text(total(service, "rusland", year=2018))
    expect(page.locator(".chip", has_text="Jaar: 2018")).to_be_visible()
    expect(page.locator(".histogram a.active")).to_contain_text("2018")
    expect(page.locator(".histogram a")).to_have_count(len(years))  # every year's bar stays
    page.locator(".histogram a", has_text="2022").click()  # and another year is one click away
    page.wait_for_url(re.compile(r"jaar=2022"))
    expect(page.locator(".histogram a.active")).to_contain_text("2022")
    expect(page.locator("h1.summary")).to_contain_text(total(service, "rusland", year=2022))


def test_filter_on_a_date_range(page):
    page.goto("/?q=rusland")
    page.get_by_label("Van", exact=True).fill("2021-01-01")
    page.get_by_label("Tot en met", exact=True).fill("2022-03-01")
    page.get_by_role("button", name="Periode toepassen").click()
    page.wait_for_url(re.compile(r"q=rusland.*van=2021-01-01.*tot=2022-03-01"))
    expect(page.locator(".chip", has_text="Vanaf 2021-01-01")).to_be_visible()


def test_page_forward(page, service):
    pages = service.search(SearchRequest("rusland")).pages
    page.goto("/?q=rusland&weergave=alinea")
    first_page = hit_links(page)
    page.locator("a[rel=next]").first.click()
    page.wait_for_url(re.compile(r"pagina=2"))
    expect(page.locator(".pager-status")).to_have_text(f"Pagina 2 van {pages}")
    expect(page.locator("ol.hits")).to_have_attribute("start", "11")
    assert not set(hit_links(page)) & set(first_page)


def test_a_copied_url_gives_the_same_results(page, browser):
    page.goto("/?weergave=alinea")
    search_for(page, "navo")
    page.wait_for_url(re.compile(r"q=navo"))
    page.locator(TOPIC_FACET, has_text="Buitenlandse zaken").click()
    page.wait_for_url(re.compile(r"onderwerp=buitenland"))
    page.locator(".sort a", has_text="nieuwste eerst").click()
    page.wait_for_url(re.compile(r"sort=nieuwste"))
    page.locator("a[rel=next]").first.click()
    page.wait_for_url(re.compile(r"pagina=2"))
    url, summary, links = page.url, page.locator("h1.summary").inner_text(), hit_links(page)
    assert links and "weergave=alinea" in url
    other = browser.new_context()  # a new browser session: nothing but the URL carries over
    try:
        copy = other.new_page()
        copy.goto(url)
        assert copy.locator("h1.summary").inner_text() == summary
        assert hit_links(copy) == links
        assert copy.get_by_label("Zoek in de Kamerbrieven").input_value() == "navo"
    finally:
        other.close()


def test_keyboard_skip_link_is_first_and_visible(page):
    page.goto("/?q=rusland")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#inhoud$"))


def test_on_a_phone_the_filters_open_from_the_top(phone, screenshot_dir):
    phone.goto("/?q=rusland")
    widths = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling on a phone: {widths}"
    toggle = phone.locator("summary", has_text="Filters")
    expect(toggle).to_be_in_viewport()  # at the top, not after the hits
    assert toggle.bounding_box()["y"] < 400
    facet = phone.locator(TOPIC_FACET, has_text="Buitenlandse zaken")
    expect(facet).to_be_hidden()
    phone.screenshot(path=str(screenshot_dir / "search-phone.png"), full_page=True)
    toggle.focus()
    phone.keyboard.press("Enter")  # the keyboard opens it (no script needed: a <details>)
    expect(facet).to_be_visible()
    phone.screenshot(path=str(screenshot_dir / "search-phone-filters.png"), full_page=False)
    facet.click()
    phone.wait_for_url(re.compile(r"onderwerp=buitenland"))
    expect(phone.locator("summary", has_text="Filters (1 actief)")).to_be_visible()


def test_the_filters_stay_beside_the_results_on_a_wide_screen(page):
    page.goto("/?q=rusland")
    expect(page.locator("summary", has_text="Filters")).to_be_hidden()
    facet = page.locator(TOPIC_FACET, has_text="Buitenlandse zaken")
    expect(facet).to_be_visible()
    assert facet.bounding_box()["x"] > page.locator("h1.summary").bounding_box()["x"] + 500


def test_the_page_works_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        search_for(page, "oekraïne")
        page.wait_for_url(re.compile(r"q=oekra%C3%AFne"))
        expect(page.locator("li.letter-result").first).to_be_visible()
        expect(page.get_by_role("combobox")).to_have_count(0)  # a plain search box
    finally:
        context.close()


def test_the_letter_page_has_its_contents_beside_the_text_and_a_link_per_paragraph(page, screenshot_dir):
    page.goto(f"/brief/{LETTER}?q=rusland#p9")
    contents = page.get_by_role("navigation", name="Inhoud")
    expect(contents).to_be_visible()
    text = page.locator("#p9 .para-text")
    assert contents.bounding_box()["x"] > text.bounding_box()["x"] + text.bounding_box()["width"] - 5
    expect(page.locator(".letter-meta")).to_be_in_viewport()  # the panel beside the text, not above it
    page.screenshot(path=str(screenshot_dir / "letter.png"))
    contents.get_by_role("link", name="China").click()
    expect(page.get_by_role("heading", name="China", exact=True)).to_be_in_viewport()
    link = page.get_by_role("link", name="link naar deze alinea (16)")
    assert link.get_attribute("href") == f"/brief/{LETTER}#p16"
