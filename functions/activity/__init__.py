"""The activity function (functions/activity/app.py): comments and FAQ auto-answers filed for the KPIs."""
