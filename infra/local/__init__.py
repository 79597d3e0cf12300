"""The local stack: template.yaml's resources in a moto server, handlers in worker processes."""
