"""The ingest function: platform webhooks in, normalised events on the bus."""
