"""Tests of kpi/domain/."""
