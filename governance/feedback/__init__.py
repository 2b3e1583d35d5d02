"""Feedback `F-<n>` from staff, service users, carers and partners; anonymity is kept."""
