"""The board paper: a monthly highlight report for the people board, kept as a snapshot of the
figures it was made from, so the next paper shows what changed."""
