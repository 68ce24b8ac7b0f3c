from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "shihyo.web.dashboard"
    label = "dashboard"
    verbose_name = "ダッシュボード"
