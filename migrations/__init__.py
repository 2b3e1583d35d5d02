"""Alembic environment and versions: the only way govbot's schema is made."""
