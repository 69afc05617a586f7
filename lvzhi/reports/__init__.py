"""Dashboards, statistics, Excel and PDF output."""
