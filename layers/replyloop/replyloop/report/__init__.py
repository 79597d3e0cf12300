"""The KPI report page (HTML with inline SVG). For the CLI and the demo only: no handler imports it."""

from replyloop.report.page import render_report

__all__ = ["render_report"]
