"""Feedback links `L-<n>`: a public web address (and QR code) where people without Slack give
feedback to one plan and service area; revocable."""
