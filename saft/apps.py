from django.apps import AppConfig


class SaftConfig(AppConfig):
    name = "saft"
    verbose_name = "SAF-T exports"
