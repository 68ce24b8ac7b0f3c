from django.urls import path

from shihyo.web.dashboard import reconciliation, views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("indicators/<slug:code>/", views.indicator_page, name="indicator"),
    path("indicators/<slug:code>/download.<str:fmt>", views.indicator_download, name="download"),
    path("roadmap/", views.roadmap_page, name="roadmap"),
    path("organisation/", views.organisation_page, name="organisation"),
    path("summary/", views.summary_page, name="summary"),
    path("reconciliation/", reconciliation.reconciliation_page, name="reconciliation"),
    path("report/download.<str:fmt>", views.report_download, name="report"),
    path("assets/vega-embed.js", views.vega_bundle, name="vega"),
]
