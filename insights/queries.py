"""Reads of the insights app that are not figures: segments, nudges, gaps."""
