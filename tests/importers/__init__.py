"""Tests of kpi/importers/."""
