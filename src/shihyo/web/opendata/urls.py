from django.urls import path

from shihyo.web.opendata import views

app_name = "opendata"
urlpatterns = [
    path("opendata/", views.index_page, name="index"),
    path("opendata/catalog.jsonld", views.catalogues_file, name="catalogues"),
    path("opendata/<slug:programme>/", views.programme_page, name="programme"),
    path("opendata/<slug:programme>/catalog.jsonld", views.catalogue_file, name="catalogue"),
    path("opendata/<slug:programme>/bulk.zip", views.bulk_file, name="bulk"),
    path("opendata/<slug:programme>/data/<slug:code>.<str:fmt>", views.dataset_file, name="dataset"),
]
