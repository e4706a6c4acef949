"""The domain: closed vocabularies, districts, units, dates, the program tree and the KPI formulas (pure, no SQL)."""
