"""What a consumer tells the server about a WebSocket send, beyond ASGI.

``FRAME_KEY`` in a ``websocket.send`` message names its text: two sends with
the same key carry the identical text (one event, rendered once, in one
language), so a server may frame it once and write the same bytes to every
socket (``realtime.daphne_server``). A server that does not know the key
ignores it and sends the text as usual.
"""

FRAME_KEY = "kring.frame_key"
