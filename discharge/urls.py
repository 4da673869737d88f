from django.urls import path

from discharge import feed_views, views

app_name = "discharge"
urlpatterns = [
    path("", views.board, name="board"),
    path("register/", views.entry_register, name="entry_register"),
    path("capacity/", views.capacity, name="capacity"),
    path("inpatients/", feed_views.inpatients, name="inpatients"),
    path("feed/held/", feed_views.held, name="feed_held"),
    path("feed/<uuid:message_id>/resolve/", feed_views.resolve, name="feed_resolve"),
    path("stranded/", views.stranded, name="stranded"),
    path("figures/", views.figures, name="figures"),
    path("figures/discharge-ready.csv", views.sitrep_export, name="sitrep_export"),
    path("occupancy/", views.occupancy, name="occupancy"),
    path("patients/<uuid:entry_id>/", views.entry_detail, name="entry_detail"),
    path("patients/<uuid:entry_id>/update/", views.entry_update, name="entry_update"),
    path("patients/<uuid:entry_id>/review/", views.entry_review, name="entry_review"),
    path("patients/<uuid:entry_id>/discharge-dates/", views.entry_discharge_dates, name="entry_discharge_dates"),
    path("patients/<uuid:entry_id>/pathway/", views.entry_pathway, name="entry_pathway"),
    path("patients/<uuid:entry_id>/reserve/", views.entry_reserve, name="entry_reserve"),
    path("patients/<uuid:entry_id>/release/", views.booking_release, name="booking_release"),
    path("patients/<uuid:entry_id>/delay/", views.entry_delay, name="entry_delay"),
    path("patients/<uuid:entry_id>/assessment/", views.entry_assessment, name="entry_assessment"),
    path("patients/<uuid:entry_id>/assessment/accept/", views.assessment_accept, name="assessment_accept"),
    path("patients/<uuid:entry_id>/discharge/", views.entry_discharge, name="entry_discharge"),
    path("delays/<uuid:delay_id>/sign-off/", views.delay_sign_off, name="delay_sign_off"),
    path("delays/<uuid:delay_id>/end/", views.delay_end, name="delay_end"),
]
