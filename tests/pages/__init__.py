"""Tests of app.py and pages/ (AppTest and chromium)."""
