"""What a person types in the console reaches govbot the way Slack would send it."""

from __future__ import annotations

import pytest

from bot.console.directory import ConsoleDirectory


def test_named_people_and_channels_become_slack_mentions_with_ids() -> None:
    directory = ConsoleDirectory()
    sent = directory.as_slack_sends('add "Rotas" owner:@Sam in #people-board')
    assert sent == 'add "Rotas" owner:<@USAM|sam> in <#CPEOPLEBOARD|people-board>'
    assert directory.handle_of("USAM") == "sam"
    assert directory.channel_name_of("CPEOPLEBOARD") == "people-board"


def test_ampersands_and_angle_brackets_are_escaped_as_slack_does() -> None:
    sent = ConsoleDirectory().as_slack_sends('"Tom & Jerry <b>" <@U1>')
    assert sent == '"Tom &amp; Jerry &lt;b&gt;" &lt;@U1&gt;'


def test_pings_are_sent_as_pings() -> None:
    assert ConsoleDirectory().as_slack_sends("@here and @channel") == "<!here> and <!channel>"


def test_email_addresses_references_and_trailing_dots_stay_as_typed() -> None:
    sent = ConsoleDirectory().as_slack_sends("mail jo@nhs.net about #3, thanks @sam.")
    assert sent == "mail jo@nhs.net about #3, thanks <@USAM|sam>."


def test_handles_that_squash_to_the_same_id_get_different_ids() -> None:
    directory = ConsoleDirectory()
    assert directory.user("jo.b") == "UJOB"
    assert directory.user("job") == "UJOB2"
    assert directory.user("jo.b") == "UJOB"


def test_a_name_that_is_not_a_handle_is_refused() -> None:
    with pytest.raises(ValueError, match="not a user name"):
        ConsoleDirectory().user("@not a name")


def test_a_name_needs_a_letter() -> None:
    with pytest.raises(ValueError):
        ConsoleDirectory().user("8")
