"""A person's own account: the settings page (language, links to profile and
notification settings), password change, and password reset by email."""
