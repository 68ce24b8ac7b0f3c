from django.urls import path

from shihyo.web.dashboard import (
    directory_editor,
    editor,
    indicator_editor,
    notes,
    reconciliation,
    roadmap_editor,
    views,
)
from shihyo.web.dashboard.page_cache import cached_page

app_name = "dashboard"
urlpatterns = [
    path("", cached_page(views.overview_page), name="overview"),
    path("indicators/<slug:code>/", cached_page(views.indicator_page), name="indicator"),
    path("indicators/<slug:code>/download.<str:fmt>", views.indicator_download, name="download"),
    path("roadmap/", cached_page(views.roadmap_page), name="roadmap"),
    path("organisation/", cached_page(views.organisation_page), name="organisation"),
    path("summary/", cached_page(views.summary_page), name="summary"),
    path("reconciliation/", reconciliation.reconciliation_page, name="reconciliation"),
    path("report/download.<str:fmt>", views.report_download, name="report"),
    path("notes/<slug:programme>/<str:period>/commentary/", notes.commentary_page, name="programme-commentary"),
    path("notes/<slug:programme>/<str:period>/commentary/<slug:subject>/", notes.commentary_page, name="commentary"),
    path("notes/<slug:programme>/<str:period>/progress/", notes.progress_page, name="progress"),
    path("catalogue/<slug:programme>/series/", editor.series_list, name="series-list"),
    path("catalogue/<slug:programme>/catalogue.xlsx", editor.catalogue_workbook, name="catalogue-workbook"),
    path("catalogue/<slug:programme>/upload/", editor.catalogue_upload, name="catalogue-upload"),
    path("catalogue/<slug:programme>/targets/new/", editor.target_page, name="target-new"),
    path("catalogue/<slug:programme>/targets/<int:index>/", editor.target_page, name="target-edit"),
    path("catalogue/<slug:programme>/series/new/", editor.series_page, name="series-new"),
    path("catalogue/<slug:programme>/series/<slug:series>/", editor.series_page, name="series-edit"),
    path("catalogue/<slug:programme>/indicators/new/", indicator_editor.indicator_page, name="indicator-new"),
    path(
        "catalogue/<slug:programme>/indicators/<slug:indicator>/",
        indicator_editor.indicator_page,
        name="indicator-edit",
    ),
    path("catalogue/<slug:programme>/roadmap/", roadmap_editor.roadmap_list, name="roadmap-list"),
    path("catalogue/<slug:programme>/roadmap/<slug:level>/new/", roadmap_editor.node_page, name="roadmap-new"),
    path("catalogue/<slug:programme>/roadmap/<slug:level>/<str:node>/", roadmap_editor.node_page, name="roadmap-edit"),
    path("catalogue/<slug:programme>/<slug:directory>/list/", directory_editor.directory_list, name="directory-list"),
    path("catalogue/<slug:programme>/<slug:directory>/new/", directory_editor.directory_page, name="directory-new"),
    path(
        "catalogue/<slug:programme>/<slug:directory>/<slug:item>/edit/",
        directory_editor.directory_page,
        name="directory-edit",
    ),
    path("assets/vega-embed.js", views.vega_bundle, name="vega"),
]
