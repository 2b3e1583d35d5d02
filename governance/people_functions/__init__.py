"""The 10 ICS people functions (NHS England, August 2021)."""
