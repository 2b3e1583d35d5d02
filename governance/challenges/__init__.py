"""Checks and challenges: a question on an action's or risk's status, and its owner's answer."""
