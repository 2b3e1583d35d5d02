"""The public feedback form: a second adapter beside `bot/`, for people who are not in Slack.

It serves `/f/<link-token>` as plain HTML (no JavaScript) from its own Jinja2 templates,
calls the same `governance` use cases as the Slack adapter, and never imports Slack.
"""
