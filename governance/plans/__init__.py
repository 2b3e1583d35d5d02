"""Workspaces, plans, their channels, roles, partners and settings."""
