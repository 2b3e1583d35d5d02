"""Actions `A-<n>` of the plan: owner, status (BRAG), progress and history."""
