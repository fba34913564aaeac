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
    # Reached logged out (Django marks its reset views so; views.LocalLoginOnly's
    # dispatch hides that mark from LoginRequiredMiddleware).
    path(
        "password-reset/",
        login_not_required(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        login_not_required(views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        login_not_required(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        login_not_required(views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns += [
    path("settings/tokens/", views.make_token, name="make_token"),
    path("settings/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
