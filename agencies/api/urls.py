from django.urls import path

from agencies.api import views

urlpatterns = [path("agencies/", views.AgencyListCreate.as_view(), name="api-agencies")]
