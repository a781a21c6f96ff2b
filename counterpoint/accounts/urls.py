from __future__ import annotations

from django.urls import path

from counterpoint.accounts import twofactor_views as tf
from counterpoint.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("signup/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/code/", tf.login_code, name="login_code"),
    path("two-factor/", tf.two_factor, name="two_factor"),
    path("two-factor/app/start/", tf.totp_start, name="totp_start"),
    path("two-factor/app/", tf.totp_setup, name="totp_setup"),
    path("two-factor/off/", tf.two_factor_disable, name="two_factor_disable"),
    path("two-factor/recovery-codes/", tf.recovery_codes, name="recovery_codes"),
    path("passkeys/new/options/", tf.passkey_register_options, name="passkey_register_options"),
    path("passkeys/new/", tf.passkey_register, name="passkey_register"),
    path("passkeys/<int:pk>/rename/", tf.passkey_rename, name="passkey_rename"),
    path("passkeys/<int:pk>/remove/", tf.passkey_remove, name="passkey_remove"),
    path("passkeys/sign-in/options/", tf.passkey_sign_in_options, name="passkey_sign_in_options"),
    path("passkeys/sign-in/", tf.passkey_sign_in, name="passkey_sign_in"),
    path("logout/", views.sign_out, name="logout"),
    path("confirm/", views.confirm_identity, name="confirm"),
    path("settings/", views.account_settings, name="settings"),
    path("time-zone/", views.time_zone, name="time_zone"),
    path("security/", views.security, name="security"),
    path("security/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("data/", views.my_data, name="my_data"),
    path("data/export.zip", views.export_download, name="export"),
    path("delete/", views.delete_account, name="delete"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
