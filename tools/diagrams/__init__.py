"""Architecture diagrams generated from a deployed environment's model
(playbooks/architecture_model.yml): network, service chain, security layer,
observability and audit flow. Documentation tooling; not shipped in the
collection."""
