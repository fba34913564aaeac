"""Rate limits and the login lock-out: how often one person and one address may
post, reply, react, follow, upload, search, ask for a password reset or try a
password. At the bottom of the apps, beside ``organisation``: every app's views
use it, and it uses none of them."""
