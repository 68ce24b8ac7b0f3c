from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "shihyo.web.catalogue"
    label = "catalogue"
    verbose_name = "カタログ"
