"""Ingest domain: webhook authentication and normalisation of each platform's changes."""
