"""The append-only audit log of every change to plans, actions, risks, roles and settings."""
