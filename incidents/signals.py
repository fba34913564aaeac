"""What the incidents app tells the apps above it (realtime, integrations), which
connect to these; this app never imports them."""

from django.dispatch import Signal

#: An incident opened, changed or was resolved, after commit.
#: Arguments: ``incident`` (an Incident), ``change`` (an IncidentUpdate).
incident_changed = Signal()

#: The home page's widget should be shown again to every open page (a resolved
#: incident's time is up), after commit. No arguments.
widget_changed = Signal()
