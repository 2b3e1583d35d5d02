"""Workforce measures `M-<n>`: values by period, read as SPC (XmR) charts."""
