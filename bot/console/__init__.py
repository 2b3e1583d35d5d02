"""`govbot console`: the whole bot in a terminal, with no Slack workspace."""
