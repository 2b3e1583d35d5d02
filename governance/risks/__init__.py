"""Risks `R-<n>`: 5x5 scoring, NHS grades, review dates and the risk share across partners."""
