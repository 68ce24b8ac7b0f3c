from django.urls import path

from shihyo.web.dashboard import views
from shihyo.web.dashboard.page_cache import cached_page

app_name = "dashboard"
urlpatterns = [
    path("", cached_page(views.overview_page), name="overview"),
    path("indicators/<slug:code>/", cached_page(views.indicator_page), name="indicator"),
    path("indicators/<slug:code>/download.<str:fmt>", views.indicator_download, name="download"),
    path("roadmap/", cached_page(views.roadmap_page), name="roadmap"),
    path("organisation/", cached_page(views.organisation_page), name="organisation"),
    path("summary/", cached_page(views.summary_page), name="summary"),
    path("report/download.<str:fmt>", views.report_download, name="report"),
    path("assets/vega-embed.js", views.vega_bundle, name="vega"),
]
