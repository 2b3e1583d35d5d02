"""The public feedback form's security and privacy, over HTTP to the real server:
CSRF, body limit, honeypot, rate limits, headers, refusals that keep what was typed,
escaping, closed and unknown links, and an access log that names no one."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select

from bot.http_server import HttpServer, make_wsgi_app, with_feedback_form
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.feedback.models import Feedback
from governance.feedback_links.inputs import FeedbackLinkMake, FeedbackLinkRevoke
from governance.feedback_links.use_cases import make_feedback_link, revoke_feedback_link
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.feedback_form_client import FormVisitor, form_path, page_text, request
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, HttpResult
from tests.test_privacy import logged, rows_holding
from web.app import MAX_BODY_BYTES, FeedbackFormApp, FormLimits
from web.rate_limits import Limit

# The form is reached at the server's address, as a browser would.
pytestmark = pytest.mark.real_http

PUBLIC_URL = "https://govbot.example.nhs.uk"
NHS_NUMBER = "943 476 5919"
REFUSAL = (
    "This looks like it contains an NHS number, so it was not saved: please remove "
    "patient-identifiable data and try again."
)
BROWSER = "Mozilla/5.0 (Linux; Android 9; SM-J530F) Ward4Tablet/7.1"


@dataclass(frozen=True)
class Link:
    path: str
    token: str


def make_link(
    uow: UnitOfWork, area: str | None = "Discharge lounge", channel: str = CHANNEL
) -> Link:
    actor = Actor(TEAM_ID, ALICE, channel)
    view = make_feedback_link(uow, actor, validate(FeedbackLinkMake, service_area=area), PUBLIC_URL)
    return Link(form_path(view.address), view.address.rsplit("/", 1)[1])


@pytest.fixture
def link(uow: UnitOfWork) -> Link:
    setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon plan"))
    return make_link(uow)


@pytest.fixture
def visitor(bot_server: BotServer, link: Link) -> FormVisitor:
    return FormVisitor(bot_server.url, link.path)


def stored(uow: UnitOfWork) -> list[Feedback]:
    with uow.transaction() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.number)))


@pytest.fixture
def limited(bot_server: BotServer, uow: UnitOfWork) -> Iterator[Callable[[FormLimits], str]]:
    """Serve the same app with the form's rate limits set small; gives the server's URL."""
    servers: list[HttpServer] = []

    def start(limits: FormLimits) -> str:
        form = FeedbackFormApp(uow, hashlib.sha256(b"test").digest(), limits)
        app = with_feedback_form(make_wsgi_app(bot_server.app, uow), form)
        servers.append(HttpServer(app, "127.0.0.1", 0).start())
        return servers[-1].url

    yield start
    for server in servers:
        server.stop()


# -- headers -------------------------------------------------------------------------


def assert_secure_headers(result: HttpResult) -> None:
    headers = {k.lower(): v for k, v in result.headers.items()}
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src" not in policy and "unsafe-inline" not in policy, "no script at all"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert "set-cookie" not in headers, "the form sets no cookie"
    assert b"<script" not in result.body.lower()


def test_every_page_carries_strict_security_headers_and_no_script(
    bot_server: BotServer, visitor: FormVisitor, uow: UnitOfWork, link: Link
) -> None:
    assert_secure_headers(visitor.open())
    sent = visitor.send()
    assert_secure_headers(sent)
    assert_secure_headers(request(bot_server.url + sent.headers["Location"]))
    assert_secure_headers(visitor.send(source=None))
    assert_secure_headers(request(bot_server.url + "/f/" + "x" * 32))
    stylesheet = request(bot_server.url + "/f/static/form.css")
    assert stylesheet.status == 200 and stylesheet.headers["Content-Type"].startswith("text/css")


# -- CSRF ----------------------------------------------------------------------------


def test_a_post_without_the_forms_token_is_refused_and_nothing_stored(
    visitor: FormVisitor, uow: UnitOfWork
) -> None:
    result = visitor.send(form_token=None, text="Sent without the form")
    assert result.status == 403
    assert "press Send feedback again" in page_text(result)
    assert "Sent without the form" in result.body.decode(), "what was typed is kept"
    assert stored(uow) == []


def test_a_forged_or_expired_form_token_is_refused(visitor: FormVisitor, uow: UnitOfWork) -> None:
    genuine = visitor.form_token()
    issued, signature = genuine.split(".")
    for forged in (f"{issued}.{'0' * len(signature)}", f"{int(issued) - 13 * 3600}.{signature}"):
        assert visitor.send(form_token=forged).status == 403
    assert stored(uow) == []


def test_a_form_token_from_another_links_page_is_refused(
    bot_server: BotServer, visitor: FormVisitor, uow: UnitOfWork
) -> None:
    other = FormVisitor(bot_server.url, make_link(uow, "Ward 4").path)
    assert visitor.send(form_token=other.form_token()).status == 403
    assert stored(uow) == []


def test_a_post_from_another_site_is_refused(visitor: FormVisitor, uow: UnitOfWork) -> None:
    token = visitor.form_token()
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        result = visitor.send(form_token=token, headers=headers)
        assert result.status == 403 and "sent from another website" in page_text(result)
    assert stored(uow) == []


# -- body limit and honeypot ----------------------------------------------------------


def test_a_body_over_the_limit_is_refused_unread(visitor: FormVisitor, uow: UnitOfWork) -> None:
    result = visitor.send(text="a" * MAX_BODY_BYTES)
    assert result.status == 413 and "too long to send" in page_text(result)
    assert stored(uow) == []


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(
    visitor: FormVisitor, uow: UnitOfWork
) -> None:
    result = visitor.send(website="https://cheap-pills.example")
    assert result.status == 303 and result.headers["Location"].endswith("/thanks")
    assert stored(uow) == []


# -- rate limits ----------------------------------------------------------------------


def test_posts_beyond_a_links_limit_get_429_and_other_links_still_work(
    limited: Callable[[FormLimits], str], link: Link, uow: UnitOfWork
) -> None:
    url = limited(FormLimits(per_client=Limit(100, 600), per_link=Limit(2, 600)))
    lounge = FormVisitor(url, link.path)
    assert [lounge.send(text=f"Visit {n}").status for n in range(2)] == [303, 303]
    busy = lounge.send(text="One too many")
    assert busy.status == 429 and "Please try again later" in page_text(busy)
    assert int(busy.headers["Retry-After"]) > 0
    assert FormVisitor(url, make_link(uow, "Ward 4").path).send().status == 303
    assert [f.text for f in stored(uow)][:2] == ["Visit 0", "Visit 1"]
    assert len(stored(uow)) == 3


def test_posts_beyond_a_clients_limit_get_429_on_every_link(
    limited: Callable[[FormLimits], str], link: Link, uow: UnitOfWork
) -> None:
    url = limited(FormLimits(per_client=Limit(2, 600), per_link=Limit(100, 600)))
    assert FormVisitor(url, link.path).send().status == 303
    assert FormVisitor(url, link.path).send().status == 303
    other = FormVisitor(url, make_link(uow, "Ward 4").path)
    assert other.send().status == 429
    assert len(stored(uow)) == 2


# -- refusals that keep what was typed ---------------------------------------------------


def test_an_nhs_number_is_refused_with_slacks_message_the_text_kept_and_not_logged(
    visitor: FormVisitor, uow: UnitOfWork, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("", "sqlalchemy", "govbot", "waitress"):
        caplog.set_level(logging.DEBUG, logger=name)
    text = f"Mum (NHS {NHS_NUMBER}) waited all day"
    result = visitor.send(source="carer", rating="Very poor", text=text)
    assert result.status == 400
    assert REFUSAL in page_text(result)
    body = result.body.decode()
    assert f">{text}</textarea>" in body, "the text stays in the form"
    assert 'value="carer" checked' in body and 'value="Very poor" checked' in body
    assert stored(uow) == [] and rows_holding(engine, "5919") == []
    assert "5919" not in logged(caplog)


def test_over_long_text_is_refused_with_the_limit_and_kept(
    visitor: FormVisitor, uow: UnitOfWork
) -> None:
    result = visitor.send(text="word " * 700)
    assert result.status == 400
    assert "It can be up to 3000 letters, and it is 3499" in page_text(result)
    assert "word word word" in result.body.decode()
    assert stored(uow) == []


def test_a_form_without_answers_says_what_to_fill_in(visitor: FormVisitor, uow: UnitOfWork) -> None:
    result = visitor.send(source=None, rating=None, text="")
    words = page_text(result)
    assert result.status == 400 and "There is a problem" in words
    assert "Choose who you are." in words and "Write what you would like to tell the team" in words
    assert visitor.send(source="someone", rating="Brilliant").status == 400
    assert stored(uow) == []


def test_dont_know_is_stored_as_no_rating(visitor: FormVisitor, uow: UnitOfWork) -> None:
    assert visitor.send(rating="Don't know").status == 303
    assert visitor.send(rating=None).status == 303
    assert [f.rating for f in stored(uow)] == [None, None]


def test_every_character_that_reaches_html_is_escaped(
    bot_server: BotServer, uow: UnitOfWork
) -> None:
    setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="<b>Devon</b> & co"))
    link = make_link(uow, area='Ward "4" <script>alert(1)</script>')
    visitor = FormVisitor(bot_server.url, link.path)
    page = visitor.open().body.decode()
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;b&gt;Devon&lt;/b&gt; &amp; co" in page
    refused = visitor.send(text="<img src=x onerror=alert(1)>" + "x" * 3000).body.decode()
    assert "<img" not in refused and "&lt;img src=x onerror=alert(1)&gt;" in refused


# -- unknown and closed links ----------------------------------------------------------


def test_an_unknown_or_malformed_token_gets_a_plain_404(
    bot_server: BotServer, link: Link, uow: UnitOfWork
) -> None:
    for path in (
        "/f/" + "A" * 32,
        "/f/" + link.token[:-1],
        "/f/../../etc/passwd",
        "/f/",
        "/f/x/y/z",
    ):
        result = request(bot_server.url + path)
        assert result.status == 404, path
        words = page_text(result)
        assert "There is no feedback form at this address" in words
        assert "Devon" not in words and "Discharge" not in words, "nothing of any plan"


def test_a_revoked_link_gets_410_and_nothing_of_its_plan(
    bot_server: BotServer, visitor: FormVisitor, link: Link, uow: UnitOfWork
) -> None:
    actor = Actor(TEAM_ID, ALICE, CHANNEL)
    revoke_feedback_link(uow, actor, validate(FeedbackLinkRevoke, link="L-1"), PUBLIC_URL)
    for result in (visitor.open(), request(bot_server.url + link.path + "/thanks")):
        assert result.status == 410
        assert "no longer in use" in page_text(result) and "Devon" not in page_text(result)


def test_the_form_answers_only_get_and_post(visitor: FormVisitor) -> None:
    result = request(visitor.url, "PUT", b"")
    assert result.status == 405 and result.headers["Allow"] == "GET, POST"


# -- privacy ----------------------------------------------------------------------------


def test_the_access_log_names_no_token_in_full(
    bot_server: BotServer,
    visitor: FormVisitor,
    link: Link,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for name in ("", "sqlalchemy", "govbot", "waitress"):
        caplog.set_level(logging.DEBUG, logger=name)
    headers = {"User-Agent": BROWSER, "X-Forwarded-For": "198.51.100.23"}
    request(visitor.url, headers=headers)
    assert visitor.send(headers=headers).status == 303
    request(bot_server.url + link.path + "/thanks", headers=headers)
    bot_server.stop()

    lines = [r.getMessage() for r in caplog.records if r.name == "govbot.web"]
    assert any(line.startswith(f"GET /f/{link.token[:4]}… 200") for line in lines), lines
    assert any(line.startswith(f"POST /f/{link.token[:4]}… 303") for line in lines), lines
    assert not any(link.token in line for line in lines)
    # The forwarded address and the browser are in no log line (test_privacy checks the
    # tables too); the client's own 127.0.0.1 is also the database's and Slack's here.
    for trace in ("198.51.100.23", "Ward4Tablet"):
        assert trace not in logged(caplog), trace


def test_feedback_from_the_form_is_anonymous_and_audited_without_an_actor(
    visitor: FormVisitor, engine: Engine, uow: UnitOfWork
) -> None:
    assert visitor.send(headers={"User-Agent": BROWSER}).status == 303
    [feedback] = stored(uow)
    assert feedback.anonymous and feedback.author_id is None
    assert (feedback.source, feedback.service_area) == ("service-user", "Discharge lounge")
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT actor_id, detail FROM audit_log WHERE entity = 'feedback'"
        ).all()
    [(actor_id, detail)] = rows
    assert actor_id is None and "L-1" in str(detail)


def test_the_form_is_light_enough_for_an_old_phone(
    bot_server: BotServer, visitor: FormVisitor
) -> None:
    page = visitor.open()
    stylesheet = request(bot_server.url + "/f/static/form.css")
    html = page.body.decode().lower()
    assert html.count("<link") == 1 and "<img" not in html and "@import" not in html
    assert "@font-face" not in stylesheet.body.decode(), "the phone's own fonts"
    assert len(page.body) + len(stylesheet.body) < 16 * 1024
    assert stylesheet.headers["Cache-Control"] == "max-age=86400", "fetched once a day"
