"""View-models of the dashboard pages: what each page lays out, as plain data computed from the store."""
