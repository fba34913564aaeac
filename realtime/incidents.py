"""The home page's major incidents, live.

Every home-page socket of a person who may see incidents (all active colleagues:
they are organisation-wide) joins one group, ``incidents.home``. When an incident
opens, changes or is resolved, or a resolved one's time on the page is up, the
widget is rendered once per language and pushed there; each socket passes on the
one of its page. The page fetches the widget again whenever its socket (re)opens
(``static/kring/incidents.js``), so a missed push costs a short delay only.
"""

from django.dispatch import receiver

from incidents import fragments, queries, signals
from realtime.broadcast import feed_message, send_to_groups

HOME_GROUP = "incidents.home"


def home_groups(user) -> set[str]:
    """The incidents group for a home-page socket whose person may see incidents."""
    return {HOME_GROUP} if queries.may_see_incidents(user) else set()


@receiver(signals.incident_changed, dispatch_uid="realtime:incident_changed")
@receiver(signals.widget_changed, dispatch_uid="realtime:incident_widget_changed")
def push_widget(sender, **kwargs) -> None:
    send_to_groups([HOME_GROUP], feed_message(fragments.live_messages()))
