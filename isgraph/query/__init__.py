"""Asking the graph: the query catalogue and its typed parameters, the quality checks,
query results as a reader wants them, the network analysis, and the policy on what a
request may do (`policy`, decided on the `parser`'s reading)."""
