from django.urls import URLPattern, URLResolver, path

from shihyo.web.api import views
from shihyo.web.api.api import api

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", views.docs_page, name="docs"),
    path("account/tokens/", views.tokens_page, name="tokens"),
]
api_patterns: list[URLPattern | URLResolver] = [path("api/v1/", api.urls)]
