"""Replyloop's tests: unit, integration (moto) and end-to-end (local stack) suites, chosen by marker."""
