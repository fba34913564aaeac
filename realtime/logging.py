import logging


class OverCapacityIsAWarning(logging.Filter):
    """channels-redis logs a message dropped for a full socket queue at INFO; that is a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("channels_redis") and "over capacity" in str(record.msg):
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
        return True
