"""The ideas admin API (functions/ideas_admin/app.py): the product team's HTTP interface to the backlog."""
