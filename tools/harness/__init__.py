"""What the integration tests, Molecule and the benchmarks share: a local cloud of
their own, playbook runs with structured results, and the emulator's request
recorder. Test and demo tooling; not shipped in the collection."""
