from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.forms import AdminLoginForm
from accounts.views import LoginView, LogoutView, admin_login

# The admin's login locks out as Kring's own does.
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("language/", login_not_required(set_language), name="set_language"),
    # The admin's login follows LOCAL_LOGIN (accounts.views.admin_login).
    path("admin/login/", login_not_required(admin_login)),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("notifications/", include("notices.urls")),
    path("", include("organisation.urls")),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("", include("communities.urls")),
    path("", include("people.urls")),
    path("", include("search.urls")),
    path("pages/", include("knowledge.urls")),
    path("documents/", include("documents.urls")),
    path("agenda/", include("agenda.urls")),
    path("insights/", include("insights.urls")),
    path("", include("integrations.urls")),
    path("incidents/", include("incidents.urls")),
]
