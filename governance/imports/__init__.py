"""Bringing a plan in from the team's spreadsheet: rows of cells (read by documents/) matched
to actions and risks, a preview kept until it expires, and applying it in one transaction."""
