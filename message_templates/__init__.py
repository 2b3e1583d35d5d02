"""Jinja2 templates rendering Block Kit messages and views; bot/rendering.py loads them."""
