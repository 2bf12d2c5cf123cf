"""Project tooling (local cloud, benchmarks, report helpers); not shipped in the collection."""
