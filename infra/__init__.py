"""Infrastructure pieces beside template.yaml: state machines, schemas and the local stack."""
