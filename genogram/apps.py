from django.apps import AppConfig


class GenogramConfig(AppConfig):
    name = "genogram"
    verbose_name = "Genogram and ecomap"
