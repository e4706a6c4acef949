"""jobkpi: the domain library of the employment-KPI dashboard (never imports streamlit)."""

__version__ = "0.1.0"
