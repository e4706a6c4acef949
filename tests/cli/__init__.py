"""Tests of kpi/cli/."""
