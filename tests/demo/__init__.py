"""Tests of kpi/demo/."""
