"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright, against uvicorn.

Screenshots of the quote page and of the hop that drops the praise for Putin
are saved under tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHOE = "choe-2024-11-01-until-the-day-of-victory"
DOUBT = "choe-2024-11-01-no-doubt-great-victory"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"Chromium not found at {CHROMIUM}: CI must run the browser tests "
                    "(.ci/run installs it with apt-get install chromium fonts-noto-cjk)", pytrace=False)
    pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)",
                allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


@pytest.fixture(name="fx_site", scope="module")
def fixture_site(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('web') / 'p.db'}"
    with running_server(db) as base:
        env = {**os.environ, "PROVENANCE_DATABASE_URL": db}
        out = subprocess.run([sys.executable, "-m", "provenance.cli", "keys", "create", "--role", "editor",
                              "--name", "browser test"], env=env, capture_output=True, text=True, check=True)
        yield base, out.stdout.strip()


@pytest.fixture(name="fx_browser", scope="module")
def fixture_browser():
    """One Chromium for the module: Playwright's sync API runs one instance per thread."""
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(name="fx_page", scope="module")
def fixture_page(fx_browser):
    page = fx_browser.new_page(viewport={"width": 1500, "height": 1000})
    yield page
    page.close()


def test_quote_page_draws_the_lineage_graph(fx_site, fx_page) -> None:
    base, _ = fx_site
    fx_page.goto(f"{base}/quotes/{CHOE}")
    nodes = fx_page.locator("svg#lineage a.node")
    expect(nodes).to_have_count(5)
    statuses = sorted(nodes.nth(i).get_attribute("data-status") for i in range(5))
    assert statuses == ["attested"] + ["reconstructed"] * 4
    languages = {nodes.nth(i).get_attribute("data-language") for i in range(5)}
    assert languages == {"ko", "ru", "en", "fr"}
    expect(fx_page.locator("#counts")).to_contain_text("5 renditions in 4 languages")
    # the badges say what they are in words, not only in colour
    expect(fx_page.locator("svg#lineage a.node.status-reconstructed .status-label").first).to_contain_text("RECONSTRUCTED")
    expect(fx_page.locator("svg#lineage a.node.status-attested .status-label")).to_contain_text("ATTESTED")
    expect(fx_page.locator("svg#lineage a.edge")).to_have_count(4)
    fx_page.screenshot(path=str(ARTIFACTS / "quote-page.png"), full_page=True)


def test_hop_dropping_the_praise_for_putin(fx_site, fx_page) -> None:
    base, _ = fx_site
    fx_page.goto(f"{base}/quotes/{DOUBT}")
    fx_page.locator('svg#lineage a.edge[aria-label^="afp-en to lejdd-fr"]').click()
    fx_page.wait_for_url("**/hop?parent_id=*")
    omitted = " ".join(fx_page.locator("del.omitted").all_inner_texts())
    assert "leadership" in omitted and "Putin" in omitted
    # through glosses, the French original is marked too, not only its English comparison text
    french_side = fx_page.locator(".seg.text-child mark.changed, .seg.text-child ins.added")
    expect(french_side.first).to_be_visible()
    expect(fx_page.locator("details.pivot[open]").first).to_be_visible()  # a gloss with marks is unfolded
    omission = fx_page.locator('li.finding[data-category="omission"]')
    expect(omission.first).to_be_visible()
    expect(omission.first.locator(".machine-label")).to_contain_text("machine-made")
    fx_page.screenshot(path=str(ARTIFACTS / "hop-praise-for-putin.png"), full_page=True)


def test_editor_adds_a_note_that_survives_a_reload(fx_site, fx_page) -> None:
    base, key = fx_site
    fx_page.goto(f"{base}/renditions/{DOUBT}:lejdd-fr/hop")
    fx_page.fill("#editor-key", key)
    fx_page.click("#editor-key-form button")
    expect(fx_page.locator("#note-form")).to_be_visible()
    # select the first word of the child text, as a person would with the mouse
    fx_page.evaluate("""() => {
        const seg = document.querySelector('.seg.text-child');
        const node = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT).nextNode();
        const range = document.createRange(); range.setStart(node, 0); range.setEnd(node, 4);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup'));
    }""")
    expect(fx_page.locator("#selection")).to_contain_text("Elle")
    fx_page.fill("#note-text", "lejdd.fr turned the direct quote into reported speech")
    fx_page.select_option("#note-category", "quote_boundary_change")
    fx_page.select_option("#note-severity", "major")
    fx_page.click("#note-form button[type=submit]")
    expect(fx_page.locator("#editor-message")).to_have_text("Note added.")
    fx_page.reload()
    note = fx_page.locator("li.finding.origin-human")
    expect(note).to_contain_text("lejdd.fr turned the direct quote into reported speech")
    expect(note.locator(".human-label")).to_contain_text("note by key:browser test")


def test_trace_a_pasted_sentence_from_home(fx_site, fx_page) -> None:
    base, _ = fx_site
    fx_page.goto(base + "/")
    fx_page.fill("#q", "we will always stand firmly by our Russian comrades until the day of victory")
    fx_page.click(".trace-form button")
    first = fx_page.locator("#trace-results article.match").first
    expect(first).to_contain_text(CHOE)
    path = first.locator("ol.path li")
    expect(path).to_have_count(5)
    expect(path.first).to_contain_text("ko-remark")
    expect(first.locator(".label")).to_have_text("match")
    expect(first.locator(".also")).to_contain_text("afp-en")  # the quote's other renditions, not more results
    expect(fx_page.locator("#trace-results article.match h2 a", has_text=CHOE)).to_have_count(1)
    fx_page.screenshot(path=str(ARTIFACTS / "home-trace.png"), full_page=True)


def test_trace_a_sentence_no_one_said_says_not_found(fx_site, fx_page) -> None:
    base, _ = fx_site
    fx_page.goto(base + "/")
    fx_page.fill("#q", "The weather in Paris is lovely today")
    fx_page.click(".trace-form button")
    expect(fx_page.locator("#trace-verdict")).to_contain_text("Not found")
    expect(fx_page.locator("#trace-results article.match")).to_have_count(0)
    fx_page.screenshot(path=str(ARTIFACTS / "home-trace-not-found.png"), full_page=True)


@pytest.fixture(name="fx_empty_site", scope="module")
def fixture_empty_site(tmp_path_factory):
    """A server over an empty database (migrated, not seeded), with an editor key."""
    db = f"sqlite:///{tmp_path_factory.mktemp('web-empty') / 'p.db'}"
    with running_server(db, seed=False) as base:
        env = {**os.environ, "PROVENANCE_DATABASE_URL": db}
        out = subprocess.run([sys.executable, "-m", "provenance.cli", "keys", "create", "--role", "editor",
                              "--name", "browser intake"], env=env, capture_output=True, text=True, check=True)
        yield base, out.stdout.strip()


SEED_ARTICLE = (Path(__file__).resolve().parents[1] / "data" / "seed-article-en.txt").read_text(encoding="utf-8")


def test_add_the_seed_article_fix_a_speaker_drop_a_quote_and_land_on_the_quote(fx_empty_site, fx_page) -> None:
    base, key = fx_empty_site
    fx_page.goto(f"{base}/")
    fx_page.click("text=Add an article")
    fx_page.fill("#editor-key", key)
    fx_page.click("#editor-key-form button")
    fx_page.fill("#article-text", SEED_ARTICLE)
    fx_page.fill("#article-outlet", "Example republisher")
    fx_page.click("#intake-form button[type=submit]")
    article = fx_page.locator("#article")
    expect(article.locator("mark.quote.kind-full").first).to_contain_text("We reaffirm that we will always stand")
    expect(article.locator("u.evidence").first).to_contain_text("According to an AFP report")
    expect(article.locator("u.speaker").first).to_be_visible()
    items = fx_page.locator(".intake-quote")
    expect(items).to_have_count(9)
    first = items.nth(0)
    expect(first.locator(".speaker-input")).to_have_value("Choe Son Hui")
    expect(first).to_contain_text("lejdd.fr (fr, newspaper) → AFP (agency) → Russian translation (ru, interpreter)")
    expect(items.nth(1).locator(".action-input")).to_have_value("skip")  # "denazify", a scare quote
    fx_page.screenshot(path=str(ARTIFACTS / "intake-seed.png"), full_page=True)
    # the editor names the U.S. officials more precisely and drops Zelensky's one word
    officials = fx_page.locator(".intake-quote", has_text="concrete evidence")
    officials.locator(".speaker-input").fill("U.S. officials (unnamed)")
    fx_page.locator(".intake-quote", has_text="insufficient").locator(".action-input").select_option("skip")
    fx_page.click("#accept-intake")
    fx_page.wait_for_url(f"{base}/quotes/**")
    expect(fx_page.locator("svg#lineage a.node")).to_have_count(5)  # the article, lejdd.fr, AFP, the translation, Choe
    expect(fx_page.locator("body")).to_contain_text("Choe Son Hui")
    # the hop into the article's rendition shows the words in the article's context
    fx_page.goto(f"{base}/renditions/{fx_page.url.rstrip('/').split('/')[-1]}:example-republisher-en/hop")
    expect(fx_page.locator(".in-article").first).to_contain_text("According to an AFP report based on a Russian")
    expect(fx_page.locator(".in-article mark").first).to_contain_text("We reaffirm that we will always stand")
    listing = fx_page.request.get(f"{base}/api/quotes?speaker=U.S.%20officials%20(unnamed)").json()
    assert len(listing["items"]) == 1
    assert fx_page.request.get(f"{base}/api/quotes?speaker=Volodymyr%20Zelensky").json()["items"] == []


def test_dismissing_a_finding_changes_the_arrows_colour_and_analyse_is_offered(fx_site, fx_page) -> None:
    base, key = fx_site
    fx_page.goto(f"{base}/quotes/{CHOE}")
    expect(fx_page.locator("#analysis-status")).to_contain_text("All 4 hops analysed")
    edge = fx_page.locator('svg#lineage a.edge[aria-label^="afp-en to lejdd-fr"]')
    before = edge.get_attribute("class")
    assert "sev-major" in before or "sev-critical" in before
    worst = "critical" if "sev-critical" in before else "major"
    edge.click()
    fx_page.wait_for_url("**/hop?parent_id=*")
    fx_page.fill("#editor-key", key)
    fx_page.click("#editor-key-form button")
    serious = fx_page.locator(f"li.finding.finding-{worst}.origin-machine")
    for i in range(serious.count()):
        item = serious.nth(i)
        item.locator("input[name=comment]").fill("the gloss says the same")
        item.locator("button[value=dismissed]").click()
        expect(item).to_have_class(re.compile(r"\bdismissed\b"))  # struck through, in place
    fx_page.goto(f"{base}/quotes/{CHOE}")
    after = fx_page.locator('svg#lineage a.edge[aria-label^="afp-en to lejdd-fr"]').get_attribute("class")
    assert f"sev-{worst}" not in after
    expect(fx_page.locator("#analyse-quote")).to_be_visible()  # an editor can analyse the quote again
    fx_page.screenshot(path=str(ARTIFACTS / "quote-after-dismissal.png"), full_page=True)


@pytest.mark.parametrize("width", [1400, 390])
def test_every_page_reads_at_desktop_and_phone_width(fx_site, fx_browser, width) -> None:
    """No page scrolls sideways as a whole; the graph scrolls inside its frame on a phone."""
    base, _ = fx_site
    pages = {"home": "/?q=stand+firmly+by+our+Russian+comrades", "quote": f"/quotes/{CHOE}",
             "hop": f"/renditions/{DOUBT}:lejdd-fr/hop", "intake": "/intake", "not-found": "/quotes/no-such-quote"}
    with fx_browser.new_context(viewport={"width": width, "height": 900}) as context:
        page = context.new_page()
        for name, path in pages.items():
            page.goto(base + path)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{name} at {width}px scrolls sideways by {overflow}px"
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        page.goto(f"{base}/quotes/{CHOE}")
        frame = page.locator("figure.graph")
        if width < 600:
            assert frame.evaluate("f => f.scrollWidth > f.clientWidth && getComputedStyle(f).overflowX === 'auto'")
        expect(page.locator("svg#lineage a.edge")).to_have_count(4)


AXE = Path(__file__).resolve().parents[1] / "support" / "vendor" / "axe.min.js"


def test_pages_have_no_serious_accessibility_violations(fx_site, fx_browser) -> None:
    """axe-core (vendored, see tests/support/vendor) on the home, quote, hop, intake and error pages.

    The site's Content-Security-Policy refuses injected scripts, as it should; this browser context
    is told to bypass it so the test can inject axe, and changes nothing else."""
    base, key = fx_site
    pages = {"home": "/?q=stand+firmly+by+our+Russian+comrades", "quote": f"/quotes/{CHOE}",
             "hop": f"/renditions/{DOUBT}:lejdd-fr/hop", "intake": "/intake", "not-found": "/quotes/no-such-quote"}
    found = {}
    with fx_browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 900}) as context:
        page = context.new_page()
        for name, path in pages.items():
            for editor in (False, True):  # the editor's forms are on the page too, shown with a key
                page.goto(base + path)
                if editor:
                    page.fill("#editor-key", key)
                    page.click("#editor-key-form button")
                page.add_script_tag(path=str(AXE))
                result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
                assert len(result["passes"]) > 10, f"axe did not check {name}"  # it ran its rules on the page
                bad = [f"{v['id']} ({v['impact']}): {v['help']}; {len(v['nodes'])} element(s), e.g. "
                       f"{v['nodes'][0]['target']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]
                if bad:
                    found[f"{name}{' (editor)' if editor else ''}"] = bad
    assert not found, found


def enter_key(page, key: str) -> None:
    page.fill("#editor-key", key)
    page.click("#editor-key-form button")


def add_quote(page, slug: str, speaker: str, language: str, said_on: str) -> None:
    """The home page's "Add a quote" form; the page lands on the new quote."""
    page.fill("#aq-slug", slug)
    page.fill("#aq-speaker", speaker)
    page.fill("#aq-language", language)
    page.fill("#aq-said", said_on)
    page.click("#add-quote-form button[type=submit]")
    page.wait_for_url(f"**/quotes/{slug}")


def add_rendition(page, key: str, language: str, text: str | None, **more: str) -> None:
    """The quote page's "Add a rendition" form, its fields by their id's tail (``ar-<field>``)."""
    page.fill("#ar-key", key)
    page.fill("#ar-language", language)
    if text:
        page.fill("#ar-text", text)
    for field, value in more.items():
        locator = page.locator(f"#ar-{field}")
        if locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)
    with page.expect_navigation():  # the page comes back by itself once saved (and analysed)
        page.click("#add-rendition-form button[type=submit]")
    expect(page.locator(f"#r-{key}")).to_be_visible()


def test_build_and_fix_a_chain_in_the_browser(fx_empty_site, fx_browser) -> None:
    """A quote from nothing, a rendition with its parent, a corrected URL seen after a reload, a cycle refused
    with the API's message, a link removed: no YAML."""
    base, key = fx_empty_site
    slug = "doe-2024-03-01-never-give-up"
    with fx_browser.new_context(viewport={"width": 1400, "height": 1000}) as context:
        page = context.new_page()
        page.goto(base + "/")
        enter_key(page, key)
        add_quote(page, slug, "Jane Doe", "de", "2024-03-01")
        expect(page.locator("#analysis-status")).to_contain_text("No hops")

        add_rendition(page, "de-origin", "de", "Wir werden niemals aufgeben.", source="Bundesregierung",
                      kind="government")
        add_rendition(page, "en-wire", "en", "We will never give up.", source="Wire Service", kind="agency",
                      url="https://wire.example/first", parent="de-origin", evidence="translated by the wire")
        expect(page.locator("svg#lineage a.edge")).to_have_count(1)
        expect(page.locator("#analysis-status")).to_contain_text("one hop analysed")  # analysed on the way back
        expect(page.locator("#r-en-wire a.source-url")).to_have_attribute("href", "https://wire.example/first")
        # correct the address; the reader comes back to the row, and the change survives a reload
        page.locator("#r-en-wire details.correct summary").click()
        page.fill("#c-en-wire-url", "https://wire.example/corrected")
        with page.expect_navigation():
            page.click("#correct-en-wire button[type=submit]")
        page.reload()
        expect(page.locator("#r-en-wire a.source-url")).to_have_attribute("href", "https://wire.example/corrected")
        # a link that would close a cycle is refused with the API's words
        page.select_option("#ln-child", label="de-origin (de)")
        page.select_option("#ln-parent", label="en-wire (en)")
        page.click("#link-form button[type=submit]")
        expect(page.locator("#link-form .form-message")).to_contain_text("cycle")
        # unlink the one link
        with page.expect_navigation():
            page.click("button.unlink")
        expect(page.locator("svg#lineage a.edge")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "edit-quote-page.png"), full_page=True)


FOUNDING = Path(__file__).resolve().parents[2] / "provenance" / "data" / "founding_chain.yaml"


def test_build_the_founding_chain_from_nothing_in_the_browser(fx_empty_site, fx_browser) -> None:
    """The founding chain's first quote typed in through the forms, glosses and all, as an editor would from
    the article: the analysis then finds on the French hop what it finds on the seeded chain ("repeat" ->
    "reaffirm", through the glosses), and the attested rendition's address is one click away."""
    import yaml

    doc = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    quote = doc["quotes"][0]
    kinds = {s["name"]: s["kind"] for s in doc["sources"]}
    slug = quote["slug"] + "-typed"
    base, key = fx_empty_site
    with fx_browser.new_context(viewport={"width": 1400, "height": 1000}) as context:
        page = context.new_page()
        page.goto(base + "/")
        enter_key(page, key)
        add_quote(page, slug, quote["speaker"], quote["original_language"], str(quote["said_on"]))
        for r in quote["renditions"]:
            more = {"status": r["status"], "source": r["source"], "kind": kinds[r["source"]], "note": r.get("note", "")}
            if r.get("byline"):
                more["byline"] = r["byline"]
            if r.get("published_at"):
                more["published"] = r["published_at"].strftime("%Y-%m-%dT%H:%M")
            if r["key"] == "republication-en":
                more["url"] = "https://example.org/lejdd-republication"
            for gloss in r.get("glosses", []):
                more.update({"gloss": gloss["text"], "gloss-author": gloss["author"]})
            for link in r.get("derived_from", []):
                more.update({"parent": link["parent"], "relation": link["relation"],
                             "translator": link["translator"]["kind"], "evidence": link["evidence"],
                             "link": link["link"]})
                if link["translator"].get("name"):
                    more["translator-name"] = link["translator"]["name"]
            add_rendition(page, r["key"], r["language"], r["text"], **{k: v for k, v in more.items() if v})
        expect(page.locator("svg#lineage a.node")).to_have_count(5)
        expect(page.locator("svg#lineage a.edge")).to_have_count(4)
        expect(page.locator("#analysis-status")).to_contain_text("4 hops analysed")
        expect(page.locator("#r-republication-en a.source-url")).to_have_attribute(
            "href", "https://example.org/lejdd-republication")
        page.screenshot(path=str(ARTIFACTS / "founding-chain-typed.png"), full_page=True)
        page.locator('svg#lineage a.edge[aria-label^="afp-en to lejdd-fr"]').click()
        page.wait_for_url("**/hop?parent_id=*")
        expect(page.locator("p.basis")).to_contain_text("through human glosses")
        change = page.locator('li.finding[data-category="intensification"]')
        expect(change.first).to_contain_text('"repeat" became "reaffirm"')
        expect(change.first).to_contain_text("réaffirmons")  # placed on the French original's word
        expect(page.locator(".seg.text-child mark", has_text="réaffirmons").first).to_be_visible()
