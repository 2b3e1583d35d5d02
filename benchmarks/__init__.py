"""Benchmark scripts: govbot's speed and cost beside the floor it runs on (see README.md here).

Each script runs with `python -m benchmarks.<name>` from the repository root, prints a table
and writes its results, with the machine, date and versions, to benchmarks/results/.
"""
