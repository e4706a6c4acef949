"""Briefing and exports: the briefing deck as plain data, and its PowerPoint, PDF, PNG and council-xlsx files."""


class ExportError(ValueError):
    """An export that cannot be made (e.g. no chromium); worth one line to the user."""
