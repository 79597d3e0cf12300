"""The sla_close function (functions/sla_close/app.py)."""
