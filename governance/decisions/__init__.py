"""Decisions `D-<n>`: what the board is asked to decide and decides, why, and on what evidence."""
