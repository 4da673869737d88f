from django.urls import path

from reporting import downtime_views as views

app_name = "downtime"
# Each route is named after its view: downtime:queue_print, downtime:board_print, downtime:visits_print, downtime:export.
urlpatterns = [
    path(route, view, name=view.__name__)
    for route, view in (
        ("queues/<slug:code>/", views.queue_print),
        ("toc-board/", views.board_print),
        ("visits/", views.visits_print),
        ("export/", views.export),
    )
]
