"""People's rights over what govbot holds about them: subject access and erasure."""
