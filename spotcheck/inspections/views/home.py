"""The home page (工作台): what waits for the signed-in person; visitors get the public site."""

from django.shortcuts import redirect, render
from django.utils import timezone

from ..todo import todo_sections


def home(request):
    if not request.user.is_authenticated:
        return redirect("public:department_index")
    today = timezone.localdate()
    sections = todo_sections(user=request.user, today=today)
    return render(request, "inspections/home.html", {"sections": sections, "today": today})
