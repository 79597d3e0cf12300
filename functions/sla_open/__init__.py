"""The sla_open function (functions/sla_open/app.py)."""
