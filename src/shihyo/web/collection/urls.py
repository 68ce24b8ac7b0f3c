from django.contrib.auth.decorators import login_required
from django.urls import path

from shihyo.web.collection import views

app_name = "collection"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("accounts/", views.accounts_page, name="accounts"),
    path("account/password/", login_required(views.PasswordPage.as_view()), name="password"),
    path("collection/", views.rounds_page, name="rounds"),
    path("collection/new/", views.new_round_page, name="new_round"),
    path("collection/<slug:programme>/history/", views.history_page, name="history"),
    path("collection/<slug:programme>/outbox/", views.outbox_page, name="outbox"),
    path("collection/<slug:programme>/<slug:code>/", views.round_page, name="round"),
    path("collection/<slug:programme>/<slug:code>/<slug:org_unit>/", views.submission_page, name="submission"),
    path("collection/<slug:programme>/<slug:code>/<slug:org_unit>/upload/", views.upload_page, name="upload"),
    path("collection/<slug:programme>/<slug:code>/<slug:org_unit>/review/", views.review_page, name="review"),
    path(
        "collection/<slug:programme>/<slug:code>/<slug:org_unit>/template.<str:fmt>",
        views.template_download,
        name="template",
    ),
]
