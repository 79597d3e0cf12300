"""The weekly KPI digest function (functions/kpi_digest/app.py): last week's KPIs put on the bus as KpiDigest."""
