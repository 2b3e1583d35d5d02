"""Dependencies: an action waits on other actions of its plan; cycles are refused."""
