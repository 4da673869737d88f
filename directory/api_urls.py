from django.urls import path

from directory import api

# ORUK's own paths, without trailing slashes, so ORUK clients find them where the standard says.
urlpatterns = [
    path("services", api.ServiceListView.as_view(), name="oruk-services"),
    path("services/<uuid:service_id>", api.ServiceDetailView.as_view(), name="oruk-service"),
    path("taxonomy_terms", api.TaxonomyTermListView.as_view(), name="oruk-taxonomy-terms"),
]
