"""Evaluation reports (run as modules, not collected by pytest)."""
