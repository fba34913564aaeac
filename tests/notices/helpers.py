"""Helpers the notices tests share."""

from notices import actions as notice_actions


def prefs(person, **values):
    """Preferences with no quiet hours (tests run at any hour) and these choices."""
    return notice_actions.save_notification_preferences(
        person, {"quiet_from": None, "quiet_until": None, **values}
    )
