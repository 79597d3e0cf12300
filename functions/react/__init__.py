"""The react function (functions/react/app.py)."""
