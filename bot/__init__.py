"""The Slack side of govbot: Bolt app, listeners, rendering, scheduler wiring, CLI, console."""
