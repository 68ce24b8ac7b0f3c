from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "shihyo.web.collection"
    label = "collection"
    verbose_name = "収集"
