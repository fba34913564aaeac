"""Filled in by the feature."""
