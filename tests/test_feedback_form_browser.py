"""The public feedback form in a real headless Chromium, as a person uses it: open the
link a lead made in Slack, choose, type, send, see the thank-you page; the feedback is then
in `/feedback list` over signed HTTP. axe-core (loaded from its package on disk) finds no
serious or critical WCAG 2.2 AA violation on any page, and a phone-sized screenshot is
written for a person to look at.

Needs Debian's chromium (`.ci/install-browser`) and Playwright for Python; skipped, saying
which is missing, without them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from tests.feedback_form_client import form_path
from tests.slack_harness import ALICE, BotServer, assert_valid_blocks

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PUBLIC_URL = "https://govbot.example.nhs.uk"
PHONE = {"width": 360, "height": 740}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-screenshots"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

if not CHROMIUM.exists():
    pytest.skip(
        "Chromium is not installed at /usr/bin/chromium: run .ci/install-browser",
        allow_module_level=True,
    )
if find_spec("playwright") is None or find_spec("axe_playwright_python") is None:
    pytest.skip('Playwright or axe-core is missing: pip install ".[test]"', allow_module_level=True)

from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402

# The form is reached at the server's address, as a browser would.
pytestmark = pytest.mark.real_http


def axe_source() -> str:
    """axe-core as its package ships it, read from disk: never fetched from the network."""
    spec = find_spec("axe_playwright_python")
    assert spec is not None and spec.origin is not None
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


def browser(tmp_path: Path, name: str, **options: Any) -> Iterator[BrowserContext]:
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / name),  # a new, empty profile
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=PHONE,
            **options,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[Page]:
    """A phone-sized Chromium page, the site's own Content-Security-Policy in force."""
    for context in browser(tmp_path, "profile"):
        yield context.new_page()


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[Page]:
    """A page for axe: its script is injected by the test, so the page's CSP is set aside."""
    for context in browser(tmp_path, "axe-profile", bypass_csp=True):
        yield context.new_page()


@pytest.fixture
def devon(make_bot_server: Any) -> BotServer:
    bot: BotServer = make_bot_server(public_url=PUBLIC_URL)
    say(bot, "/plan", 'setup "Devon ICS integrated workforce plan"')
    return bot


def say(bot: BotServer, command: str, text: str) -> str:
    reply = bot.slash_reply(command, text, user_id=ALICE)
    assert_valid_blocks(reply)
    return reply["text"] + json.dumps(reply.get("blocks", []), ensure_ascii=False)


def make_link(bot: BotServer, area: str = "Discharge lounge") -> str:
    """A link made in Slack, as the URL this test's browser can open."""
    reply = bot.slash_reply("/plan", f'feedback-link area:"{area}"', user_id=ALICE)
    [address] = [w for w in reply["text"].split() if w.startswith(PUBLIC_URL + "/f/")]
    return bot.url + form_path(address)


def test_a_person_gives_feedback_in_a_browser_and_a_lead_reads_it_in_slack(
    devon: BotServer, phone: Page
) -> None:
    phone.goto(make_link(devon))
    assert phone.title() == "Feedback about Discharge lounge"
    assert "This form is anonymous" in phone.inner_text("main")
    # The stylesheet loaded under the strict Content-Security-Policy.
    assert "Arial" in phone.eval_on_selector("body", "e => getComputedStyle(e).fontFamily")
    phone.get_by_label("I am a carer or family member").check()
    phone.get_by_label("Very good", exact=True).check()
    phone.get_by_label("What would you like to tell the team?").fill(
        "The discharge nurse rang us the next day to check on Dad."
    )
    phone.get_by_role("button", name="Send feedback").click()
    assert phone.url.endswith("/thanks")
    assert phone.inner_text("h1") == "Thank you"
    listing = say(devon, "/feedback", "list")
    assert "The discharge nurse rang us the next day to check on Dad." in listing
    # One carer is a group under the anonymity threshold: the source is withheld.
    assert (
        "Source withheld (a small group) · Discharge lounge · Very good (5/5) · web form L-1"
        in listing
    )
    assert "_anonymous_" in listing


def test_a_refused_form_keeps_what_was_typed_in_the_browser(devon: BotServer, phone: Page) -> None:
    phone.goto(make_link(devon))
    phone.get_by_label("I use this service").check()
    phone.get_by_label("What would you like to tell the team?").fill(
        "My NHS number is 943 476 5919 and I waited all day"
    )
    phone.get_by_role("button", name="Send feedback").click()
    assert "looks like it contains an NHS number" in phone.inner_text(".error-summary")
    box = phone.get_by_label("What would you like to tell the team?")
    assert box.input_value() == "My NHS number is 943 476 5919 and I waited all day"
    assert phone.get_by_label("I use this service").is_checked()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    page.evaluate(axe_source())
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_22_AA,
    )
    assert result["passes"], "axe ran its checks"
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violations_on_any_page_of_the_form(
    devon: BotServer, scanner: Page
) -> None:
    form = make_link(devon)
    closed = make_link(devon, "Ward 4")
    say(devon, "/plan", "feedback-link revoke L-2")
    pages: dict[str, str] = {}

    scanner.goto(form)
    pages["the form"] = scanner.url
    assert serious_violations(scanner) == []

    scanner.get_by_role("button", name="Send feedback").click()
    assert "There is a problem" in scanner.inner_text("main")
    assert serious_violations(scanner) == [], "the form showing what to fix"

    scanner.get_by_label("I work here").check()
    scanner.get_by_label("What would you like to tell the team?").fill("Good handovers")
    scanner.get_by_role("button", name="Send feedback").click()
    assert scanner.inner_text("h1") == "Thank you"
    assert serious_violations(scanner) == [], "the thank-you page"

    for name, url in (("not found", devon.url + "/f/" + "x" * 32), ("closed", closed)):
        scanner.goto(url)
        assert serious_violations(scanner) == [], name


def test_a_phone_sized_screenshot_of_the_form_is_written(
    devon: BotServer, phone: Page, capsys: pytest.CaptureFixture[str]
) -> None:
    say(devon, "/feedback", 'service-user "Chairs needed" area:"Discharge lounge" anonymous')
    say(devon, "/feedback", 'answer F-1 "We put twelve more chairs in the lounge" public')
    phone.goto(make_link(devon))
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "feedback-form-phone.png"
    phone.screenshot(path=str(path), full_page=True)
    phone.get_by_role("button", name="Send feedback").click()
    errors = SCREENSHOTS / "feedback-form-phone-errors.png"
    phone.screenshot(path=str(errors), full_page=True)
    assert path.stat().st_size > 10_000 and errors.stat().st_size > 10_000
    # No horizontal scrolling on a small phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with capsys.disabled():
        print(f"\nphone-sized screenshots of the feedback form: {SCREENSHOTS}/")
