"""The outturn and the budget, under funding/ beside the funding lines (funding/lines/)."""

from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.outturn, name="outturn"),
    path("drill-down/", views.drill_down, name="drill-down"),
    path("budget/", views.budget, name="budget"),
    path("budget/lines/new/", views.new_budget_line, name="budget-line-new"),
    path("budget/lines/<int:pk>/", views.edit_budget_line, name="budget-line"),
    path("budget/import/", views.import_budget, name="budget-import"),
    path("budget/allocation/", views.allocation, name="allocation"),
    path("forum/", views.forum, name="forum"),
]
