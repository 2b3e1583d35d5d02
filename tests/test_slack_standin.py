"""The loopback stand-in answers like Slack's Web API, and govbot's WebClient copes with
what Slack does when it is busy or down: 429 with Retry-After, 5xx, refused connections."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.settings import load_settings
from bot.slack_client import MAX_RETRIES, make_web_client
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BOT_TOKEN, http


@pytest.fixture
def client(standin: FaultyStandin) -> WebClient:
    return make_web_client(load_settings(slack_bot_token=BOT_TOKEN, slack_api_url=standin.api_url))


def test_calls_are_recorded_with_their_parameters_and_token(
    standin: FaultyStandin, client: WebClient
) -> None:
    response = client.chat_postMessage(
        channel="C0PLAN", text="Weekly digest", blocks=[{"type": "divider"}]
    )
    assert response["ok"] is True
    assert response["channel"] == "C0PLAN"
    (call,) = standin.calls_to("chat.postMessage")
    assert call.params["text"] == "Weekly digest"
    assert call.params["blocks"] == [{"type": "divider"}]
    assert call.token == BOT_TOKEN


@pytest.mark.off_reference_calls
def test_a_call_without_a_token_is_refused_like_slack_does(standin: FaultyStandin) -> None:
    with pytest.raises(SlackApiError, match="not_authed"):
        WebClient(base_url=standin.api_url).chat_postMessage(channel="C1", text="x")


def test_the_client_waits_out_a_rate_limit_and_succeeds(
    standin: FaultyStandin, client: WebClient
) -> None:
    standin.fail("chat.postMessage", status=429, retry_after=0, times=1)
    assert client.chat_postMessage(channel="C0PLAN", text="hi")["ok"] is True
    assert len(standin.calls_to("chat.postMessage")) == 2


def test_the_client_gives_up_after_a_bounded_number_of_rate_limits(
    standin: FaultyStandin, client: WebClient
) -> None:
    standin.fail("chat.postMessage", status=429, retry_after=0, times=10)
    with pytest.raises(SlackApiError) as error:
        client.chat_postMessage(channel="C0PLAN", text="hi")
    assert error.value.response.status_code == 429
    assert error.value.response.headers["Retry-After"] == "0"
    assert len(standin.calls_to("chat.postMessage")) == 1 + MAX_RETRIES


def test_the_client_retries_a_server_error(standin: FaultyStandin, client: WebClient) -> None:
    standin.fail("users.info", status=500, times=1)
    assert client.users_info(user="U0ALICE")["ok"] is True
    assert len(standin.calls_to("users.info")) == 2


def test_a_slow_answer_still_arrives(standin: FaultyStandin, client: WebClient) -> None:
    standin.fail("auth.test", status=None, delay=0.2, times=1)
    assert client.auth_test()["user_id"] == standin.bot_user_id


def test_a_stopped_stand_in_refuses_connections(client: WebClient) -> None:
    with FaultyStandin() as down:
        url = down.api_url
    refused = make_web_client(load_settings(slack_bot_token=BOT_TOKEN, slack_api_url=url))
    with pytest.raises(OSError):
        refused.auth_test()


def test_users_have_a_timezone_london_unless_set(standin: FaultyStandin, client: WebClient) -> None:
    assert client.users_info(user="U0ALICE")["user"]["tz"] == "Europe/London"
    standin.set_user("U0BOB", tz="America/New_York", real_name="Bob")
    user = client.users_info(user="U0BOB")["user"]
    assert (user["tz"], user["real_name"]) == ("America/New_York", "Bob")


def test_a_dm_channel_is_opened_for_a_user(client: WebClient) -> None:
    assert client.conversations_open(users="U0ALICE")["channel"]["id"] == "D0ALICE"


def test_views_need_a_trigger_and_come_back_with_an_id(
    standin: FaultyStandin, client: WebClient
) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Add"}, "blocks": []}
    with pytest.raises(SlackApiError, match="invalid_trigger_id"):
        client.views_open(trigger_id="", view=view)
    opened = client.views_open(trigger_id="1.2.3", view=view)["view"]
    assert opened["id"].startswith("V")
    published = client.views_publish(user_id="U0ALICE", view={**view, "type": "home"})
    assert published["view"]["type"] == "home"
    assert [c.method for c in standin.calls][-2:] == ["views.open", "views.publish"]


def test_a_file_upload_goes_through_all_three_steps(
    standin: FaultyStandin, client: WebClient
) -> None:
    csv = "ref,title\nA-1,Recruit 20 nurses\n"
    client.files_upload_v2(channel="C0PLAN", content=csv, filename="actions.csv", title="Actions")
    methods = [c.method for c in standin.calls]
    assert methods == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    assert csv.encode() in standin.calls_to("upload")[0].body
    complete = standin.calls_to("files.completeUploadExternal")[0]
    assert complete.params["channel_id"] == "C0PLAN"


def test_response_urls_record_what_is_posted_by_name(standin: FaultyStandin) -> None:
    url = standin.response_url("mine")
    WebhookClient(url).send_dict({"text": "done", "response_type": "ephemeral"})
    WebhookClient(standin.response_url("other")).send_dict({"text": "x"})
    assert standin.responses("mine") == [{"text": "done", "response_type": "ephemeral"}]
    assert len(standin.responses()) == 2


def test_an_unknown_response_url_is_not_found(standin: FaultyStandin) -> None:
    response = WebhookClient(standin.base_url + "/response/999").send_dict({"text": "x"})
    assert response.status_code == 404
    assert standin.calls == []


def test_faults_apply_to_response_urls_too(standin: FaultyStandin) -> None:
    standin.fail("response", status=500, times=1)
    url = standin.response_url()
    assert WebhookClient(url).send_dict({"text": "x"}).status_code == 500
    assert WebhookClient(url).send_dict({"text": "x"}).status_code == 200


def test_wait_for_gives_up_after_its_timeout(standin: FaultyStandin) -> None:
    with pytest.raises(TimeoutError):
        standin.wait_for(lambda: standin.calls_to("chat.postMessage"), timeout=0.2)


@pytest.mark.off_reference_calls
def test_an_unknown_method_answers_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError, match="unknown_method"):
        client.api_call("chat.frobnicate")


def test_reset_forgets_calls_and_faults(standin: FaultyStandin, client: WebClient) -> None:
    standin.fail("auth.test", status=500, times=5)
    client.conversations_open(users="U0ALICE")
    standin.reset()
    assert standin.calls == []
    assert client.auth_test()["ok"] is True


def test_a_shared_file_is_served_at_its_private_url_to_a_bot_token_only(
    standin: FaultyStandin, client: WebClient
) -> None:
    file_id = standin.add_file("Action log.xlsx", b"PK\x03\x04 workbook bytes")
    info = client.files_info(file=file_id)["file"]
    assert (info["name"], info["size"]) == ("Action log.xlsx", 19)
    url = info["url_private"]
    assert http("GET", url, headers={"Authorization": f"Bearer {BOT_TOKEN}"}).body == (
        b"PK\x03\x04 workbook bytes"
    )
    assert http("GET", url).status == 403
    assert http("GET", url, headers={"Authorization": "Bearer xoxp-a-user-token"}).status == 403
    with pytest.raises(SlackApiError, match="file_not_found"):
        client.files_info(file="F0NOTHERE")


def test_people_are_found_by_their_e_mail_address_in_any_case(
    standin: FaultyStandin, client: WebClient
) -> None:
    standin.set_user("U0SAM", email="sam.jones@devon.nhs.uk")
    user = client.users_lookupByEmail(email="Sam.Jones@Devon.NHS.uk")["user"]
    assert user["id"] == "U0SAM"
    with pytest.raises(SlackApiError, match="users_not_found"):
        client.users_lookupByEmail(email="nobody@example.org")
