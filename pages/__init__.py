"""Streamlit pages: they lay out what kpi/ returns and compute nothing themselves."""
