"""Tests of kpi/exports/."""
