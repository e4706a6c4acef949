"""Demo data: the seed reports' real figures and labelled sample series, loaded through the write path."""
