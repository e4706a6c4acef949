"""Tests of kpi/views/."""
