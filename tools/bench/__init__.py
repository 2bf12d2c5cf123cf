"""Benchmarks (`make bench`): measured in one run on one machine, compared as ratios."""
