from django.contrib.auth.decorators import login_not_required
from django.urls import path

from accounts import sso, views

urlpatterns = [
    # Single sign-on (mozilla-django-oidc's views, by the names it reverses), reached
    # logged out.
    path(
        "oidc/authenticate/",
        login_not_required(sso.SignOnStartView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        login_not_required(sso.SignOnCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path("settings/", views.settings_home, name="settings"),
    path("settings/language/", views.choose_language, name="settings_language"),
    path("settings/logins/<int:login_id>/end/", views.end_login, name="end_login"),
    path("settings/logins/end-all/", views.end_all_logins, name="end_all_logins"),
    path("settings/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "settings/password/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Django's reset views are marked login_not_required already (LoginRequiredMiddleware).
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
