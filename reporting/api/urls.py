from reporting.api.urls_packs import urlpatterns as pack_urlpatterns

urlpatterns: list = [*pack_urlpatterns]
