from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/search.html", {})


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/manage.html", {})
