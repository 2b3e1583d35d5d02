"""Scheduled work: claims that make every send happen exactly once."""
