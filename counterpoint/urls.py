from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("counterpoint.professionals.urls")),
    path("", include("counterpoint.pages.urls")),
    path("", include("counterpoint.pwa.urls")),
    path("account/", include("counterpoint.accounts.urls")),
    path("safety/", include("counterpoint.safety.urls")),
    path("couple/", include("counterpoint.pairing.urls")),
    path("journal/", include("counterpoint.journal.urls")),
    path("practices/", include("counterpoint.practices.urls")),
    path("", include("counterpoint.interdependence.urls")),
    path("activity/", include("counterpoint.activity.urls")),
    path("account/notifications/", include("counterpoint.notify.urls")),
    path("moments/", include("counterpoint.practices.moments.urls")),
    path("decisions/", include("counterpoint.practices.decisions.urls")),
    path("repair/", include("counterpoint.practices.repair.urls")),
    path("time/", include("counterpoint.practices.timebalance.urls")),
    path("checkins/", include("counterpoint.checkins.urls")),
    path("", include("counterpoint.insights.urls")),
    path("support/", include("counterpoint.practices.support.urls")),
    path("boundaries/", include("counterpoint.practices.boundaries.urls")),
    path("goals/", include("counterpoint.practices.goals.urls")),
    path("commitments/", include("counterpoint.practices.commitments.urls")),
    path("plans/", include("counterpoint.practices.plans.urls")),
    path("research/", include("counterpoint.research.urls")),
]

handler400 = "counterpoint.pages.errors.bad_request"
handler404 = "counterpoint.pages.errors.not_found"
handler500 = "counterpoint.pages.errors.server_error"
handler403 = "counterpoint.pages.errors.forbidden"
