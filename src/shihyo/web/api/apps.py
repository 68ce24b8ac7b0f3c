from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shihyo.web.api"
    label = "api"
    verbose_name = "API"
