"""kombu's folder ("filesystem") transport, with each task file appearing whole.

kombu writes a message straight into the queue folder, and its reader does not
take the writer's lock: a worker that lists the folder while beat (or the web
process) is still writing takes the file empty, fails to decode it, and stops
("Unrecoverable error: JSONDecodeError"). Seen on a busy machine. Here the file is
written under a name the reader skips (``….msg.part``) and then renamed, which is
atomic on one file system, so a reader finds either nothing or the whole message.
Named by ``CELERY_BROKER_TRANSPORT`` in the settings of the embedded default.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.part"
        try:
            with open(partial, "wb") as out:
                out.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
