"""Replyloop: the shared Lambda layer (domain, models and AWS adapters)."""
