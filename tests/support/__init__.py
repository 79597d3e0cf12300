"""Helpers shared by every test suite: the samples in events/ and template.yaml."""
