"""Feedback `F-<n>` from staff, service users, carers and partners; anonymous means unrecoverable."""
