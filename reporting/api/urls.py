from reporting.api.urls_flags import urlpatterns as flag_urlpatterns
from reporting.api.urls_packs import urlpatterns as pack_urlpatterns

urlpatterns: list = [*pack_urlpatterns, *flag_urlpatterns]
