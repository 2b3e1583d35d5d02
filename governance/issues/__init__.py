"""Issues `I-<n>`: problems happening now, often risks that have materialised."""
