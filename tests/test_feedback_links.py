"""Feedback links: a lead makes one in Slack and gets its QR code; people without Slack use
its web form; the feedback lands in the register, the digest and `/feedback answer`; a
public answer shows on the link's page; revoking the link closes the form.

Slack is driven over signed HTTP and the form over plain HTTP, both on the same server.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from typing import Any

import pytest

from tests.feedback_form_client import FormVisitor, form_path, page_text
from tests.slack_harness import ALICE, BotServer, assert_valid_blocks

# The form is reached at the server's address, as a browser would.
pytestmark = pytest.mark.real_http

PUBLIC_URL = "https://govbot.example.nhs.uk"
DATA_LEAD = "U0DATALEAD"
MEMBER = "U0MEMBER"
CHAIR = "U0CHAIR"


def say(bot: BotServer, command: str, text: str, user: str = ALICE) -> dict[str, Any]:
    reply = bot.slash_reply(command, text, user_id=user)
    assert_valid_blocks(reply)
    return reply


def shown(reply: dict[str, Any]) -> str:
    return reply["text"] + json.dumps(reply.get("blocks", []), ensure_ascii=False)


@pytest.fixture
def devon(make_bot_server: Callable[..., BotServer]) -> BotServer:
    bot = make_bot_server(public_url=PUBLIC_URL)
    say(bot, "/plan", 'setup "Devon ICS integrated workforce plan"')
    say(bot, "/plan", f"role <@{DATA_LEAD}> data-lead")
    return bot


def make_link(bot: BotServer, options: str = 'area:"Discharge lounge"', user: str = ALICE) -> str:
    """Make a link in Slack; its address as the reply gives it."""
    reply = say(bot, "/plan", f"feedback-link {options}".strip(), user=user)
    [address] = [w for w in reply["text"].split() if w.startswith(PUBLIC_URL + "/f/")]
    return address


def test_a_lead_makes_a_link_and_gets_its_address_and_a_printable_qr_code(
    devon: BotServer,
) -> None:
    reply = say(devon, "/plan", 'feedback-link area:"Discharge lounge"')
    assert reply["response_type"] == "ephemeral"
    assert "L-1" in reply["text"] and "Discharge lounge" in shown(reply)
    [address] = [w for w in reply["text"].split() if w.startswith(PUBLIC_URL + "/f/")]
    token = address.rsplit("/", 1)[1]
    assert len(token) == 32, "an unguessable token: 192 random bits"
    assert "uploaded to this channel, ready to print" in shown(reply)

    (upload,) = devon.standin.wait_for_calls("upload")
    (complete,) = devon.standin.wait_for_calls("files.completeUploadExternal")
    png = upload.body
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width == height >= 400, "big enough to print sharp on a poster"
    assert complete.params["channel_id"] == "C0PLAN"
    [file] = complete.params["files"]
    assert "L-1" in file["title"] and "Discharge lounge" in file["title"]

    page = FormVisitor(devon.url, form_path(address)).open()
    assert page.status == 200 and "Discharge lounge" in page_text(page)


def test_each_link_has_its_own_token_and_number(devon: BotServer) -> None:
    first = make_link(devon, 'area:"Ward 4"')
    second = make_link(devon, "")
    assert first != second
    listing = shown(say(devon, "/plan", "feedback-link links"))
    assert "L-1" in listing and "L-2" in listing and "the whole plan" in listing


def test_a_data_lead_may_make_links_and_a_member_is_told_who_can(devon: BotServer) -> None:
    assert make_link(devon, user=DATA_LEAD)
    refused = shown(say(devon, "/plan", "feedback-link", user=MEMBER))
    assert "Only the plan's leads, chairs and data leads can make feedback links" in refused
    assert "L-2" not in shown(say(devon, "/plan", "feedback-link links"))


def test_without_a_public_address_a_link_is_refused_naming_the_setting(
    make_bot_server: Callable[..., BotServer],
) -> None:
    bot = make_bot_server()
    say(bot, "/plan", 'setup "Devon"')
    refused = shown(say(bot, "/plan", 'feedback-link area:"Ward 4"'))
    assert "GOVBOT_PUBLIC_URL" in refused
    assert bot.standin.calls_to("files.completeUploadExternal") == []


def test_a_mistyped_feedback_link_command_shows_the_right_forms(devon: BotServer) -> None:
    refused = shown(say(devon, "/plan", "feedback-link list"))
    assert "`list` isn't something `feedback-link` does" in refused
    assert "feedback-link links | revoke L-2" in refused
    assert "Say which link to revoke" in shown(say(devon, "/plan", "feedback-link revoke"))
    assert "L-9 is not a feedback link" in shown(say(devon, "/plan", "feedback-link revoke L-9"))
    wrong_kind = shown(say(devon, "/plan", "feedback-link revoke A-1"))
    assert "A-1 is an action; this needs a feedback link, like L-3" in wrong_kind


def test_a_link_whose_qr_code_slack_refuses_still_works_and_says_so(devon: BotServer) -> None:
    devon.standin.fail("files.completeUploadExternal", status=400)
    reply = say(devon, "/plan", 'feedback-link area:"Ward 4"')
    assert "The QR code wasn't uploaded" in shown(reply)
    [address] = [w for w in reply["text"].split() if w.startswith(PUBLIC_URL + "/f/")]
    assert FormVisitor(devon.url, form_path(address)).open().status == 200


def test_feedback_from_the_form_is_in_feedback_list_anonymous_with_its_area_and_source(
    devon: BotServer,
) -> None:
    visitor = FormVisitor(devon.url, form_path(make_link(devon)))
    sent = visitor.send(source="carer", rating="Poor", text="Dad waited four hours for transport")
    assert sent.status == 303 and sent.headers["Location"].endswith("/thanks")

    listing = shown(say(devon, "/feedback", "list", user=DATA_LEAD))
    assert "Dad waited four hours for transport" in listing
    # One carer is a group under the anonymity threshold, so the source is withheld.
    assert (
        "Source withheld (a small group) · Discharge lounge · Poor (2/5) · web form L-1" in listing
    )
    assert "_anonymous_" in listing
    links = shown(say(devon, "/plan", "feedback-link links"))
    assert "1 piece of feedback" in links


def test_links_count_the_feedback_each_brought(devon: BotServer) -> None:
    ward = FormVisitor(devon.url, form_path(make_link(devon, 'area:"Ward 4"')))
    make_link(devon, 'area:"Home care"')
    for n in range(3):
        assert ward.send(text=f"Visit {n} went well").status == 303
    links = shown(say(devon, "/plan", "feedback-link links"))
    assert "*L-1* · Ward 4 · :large_green_circle: in use · 3 pieces of feedback" in links
    assert "*L-2* · Home care · :large_green_circle: in use · 0 pieces of feedback" in links


def test_form_feedback_is_counted_in_the_digest_under_the_anonymity_threshold(
    devon: BotServer,
) -> None:
    visitor = FormVisitor(devon.url, form_path(make_link(devon)))
    for n in range(2):
        assert visitor.send(source="service-user", text=f"Lovely staff {n}").status == 303
    digest = shown(say(devon, "/plan", "digest"))
    assert "Feedback: fewer than 11" in digest
    assert "Service user fewer than 11" in digest
    assert "Lovely staff" not in digest


def test_a_public_answer_shows_on_the_links_page_by_month_only(devon: BotServer) -> None:
    visitor = FormVisitor(devon.url, form_path(make_link(devon)))
    assert visitor.send(text="Nowhere to sit while waiting").status == 303
    assert visitor.send(text="The lounge is cold").status == 303
    public = shown(say(devon, "/feedback", 'answer F-1 "We put in twelve more chairs" public'))
    assert "Public: shown on the plan's feedback form" in public
    private = shown(say(devon, "/feedback", 'answer F-2 "Heating engineer booked"'))
    assert "Public" not in private
    typo = shown(say(devon, "/feedback", 'answer F-2 "Heating engineer booked" publik'))
    assert "`publik` isn't part of an answer; only `public` may follow it" in typo

    page = page_text(visitor.open())
    assert "You said, we did" in page
    # The clock of the tests stands at 23 November 2026.
    assert "November 2026: We put in twelve more chairs" in page
    assert "23" not in page.split("You said, we did", 1)[1]
    assert "Heating engineer booked" not in page, "an answer is shown only when made public"
    assert "Nowhere to sit" not in page, "the feedback itself is never shown"


def test_a_public_answer_about_another_area_is_not_shown(devon: BotServer) -> None:
    lounge = FormVisitor(devon.url, form_path(make_link(devon)))
    ward = FormVisitor(devon.url, form_path(make_link(devon, 'area:"Ward 4"')))
    assert ward.send(text="Noisy at night").status == 303
    say(devon, "/feedback", 'answer F-1 "Quiet hours from 10pm" public')
    assert "Quiet hours from 10pm" in page_text(ward.open())
    assert "You said, we did" not in page_text(lounge.open())


def test_revoking_a_link_closes_its_form_and_keeps_its_feedback(devon: BotServer) -> None:
    visitor = FormVisitor(devon.url, form_path(make_link(devon)))
    form_token = visitor.form_token()
    assert visitor.send(text="Kind porters").status == 303

    revoked = shown(say(devon, "/plan", "feedback-link revoke L-1"))
    assert "Feedback form L-1 revoked" in revoked and "1 piece of feedback" in revoked

    page = visitor.open()
    assert page.status == 410 and "This feedback form is no longer in use" in page_text(page)
    late = visitor.send(text="Sent after it closed", form_token=form_token)
    assert late.status == 410
    listing = shown(say(devon, "/feedback", "list"))
    assert "Kind porters" in listing and "Sent after it closed" not in listing
    assert "already revoked" in shown(say(devon, "/plan", "feedback-link revoke L-1"))
    assert "revoked" in shown(say(devon, "/plan", "feedback-link links"))
