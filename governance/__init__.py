"""The governance domain of an ICS integrated workforce plan: no Slack in here."""
