"""Replies about actions and challenges, shared by `/action`, the buttons and the modals.

Each turns a use case's result into the Reply for the person acting, after telling anyone
else who needs to know by direct message (a new owner, whoever must answer a challenge,
whoever asked it). A direct message that fails is logged and never loses the reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.command_router import Reply, log_failure
from governance.actions.views import ActionChangeView
from governance.actor import Actor
from governance.challenges.views import ChallengeOutcomeView
from governance.people.pseudonyms import is_pseudonym

ActionEvent = Literal["added", "updated", "done"]


def tell(client: WebClient, user_ids: Iterable[str], reply: Reply, about: str) -> tuple[str, ...]:
    """Send `reply` to each user (by direct message) or channel; return those who got it."""
    told = []
    for user_id in user_ids:
        if is_pseudonym(user_id):  # an erased person: nobody to send it to
            continue
        try:
            client.chat_postMessage(channel=user_id, **reply.message())
        except (SlackClientError, OSError) as exc:  # refused, failing, unreachable, slow
            log_failure(about, exc)
            continue
        told.append(user_id)
    return tuple(told)


def action_changed_reply(
    client: WebClient,
    actor: Actor,
    changed: ActionChangeView,
    event: ActionEvent,
    *,
    in_channel: bool = False,
) -> Reply:
    """The action's card saying what happened; a newly assigned owner is told by DM."""
    if changed.notify_owner:
        notice = Reply.render(
            "action_card.json.j2",
            action=changed.action,
            event="assigned",
            actor_id=actor.user_id,
            plan_name=changed.plan_name,
        )
        tell(client, [changed.notify_owner], notice, "telling an action's new owner")
    return Reply.render(
        "action_card.json.j2",
        action=changed.action,
        event=event,
        actor_id=actor.user_id,
        in_channel=in_channel,
    )


def challenge_asked_reply(client: WebClient, actor: Actor, asked: ChallengeOutcomeView) -> Reply:
    """Tell whoever must answer a challenge, and show it to the team in the plan's channel."""
    notice = Reply.render("challenge_asked.json.j2", challenge=asked.challenge, audience="answerer")
    tell(client, asked.notify, notice, "telling an owner of a challenge")
    shown = Reply.render("challenge_asked.json.j2", challenge=asked.challenge, audience="channel")
    return _in_team_channel(client, actor, asked, shown)


def challenge_answered_reply(
    client: WebClient, actor: Actor, answered: ChallengeOutcomeView
) -> Reply:
    """Tell whoever asked, and show the answer to the team in the plan's channel."""
    notice = Reply.render(
        "challenge_answered.json.j2", challenge=answered.challenge, audience="asker"
    )
    tell(client, answered.notify, notice, "telling a challenger of the answer")
    shown = Reply.render(
        "challenge_answered.json.j2", challenge=answered.challenge, audience="channel"
    )
    return _in_team_channel(client, actor, answered, shown)


def _in_team_channel(
    client: WebClient, actor: Actor, outcome: ChallengeOutcomeView, shown: Reply
) -> Reply:
    """The same wherever it was done (command, button, form, App Home): in the plan's channel.

    Done in that channel, the reply goes there; done elsewhere (App Home, a nudge's DM), it is
    posted there and the person is told where. If that post fails, they get it themselves.
    """
    channel = outcome.channel_id
    if channel is None:
        return shown
    if actor.channel_id == channel:
        return replace(shown, in_channel=True)
    if tell(client, [channel], shown, "posting a challenge in the plan's channel"):
        return Reply(text=f"Posted in <#{channel}> for the team to see.")
    return shown
