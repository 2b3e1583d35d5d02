"""Wins `W-<n>`: successes to celebrate and learning to share."""
