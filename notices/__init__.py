"""Notifications, email and digests: who is told of what, and how."""
