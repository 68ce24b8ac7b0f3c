from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "shihyo.web.opendata"
    label = "opendata"
    verbose_name = "オープンデータ"
