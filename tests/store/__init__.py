"""Tests of kpi/store/."""
