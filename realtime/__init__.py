"""Live delivery over WebSockets (Django Channels).

The channel layer is only a doorbell: the database is the truth, and a page
that (re)connects fetches what it missed over HTTP.
"""
