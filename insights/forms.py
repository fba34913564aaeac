"""The coach's forms."""
