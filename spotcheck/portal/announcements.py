"""Pre-check announcements (拟检查公告): which entities a task will check, and for what."""

from django.shortcuts import get_object_or_404, render

from spotcheck.common.pagination import paginate, query_without_page
from spotcheck.publication.public import public_announcement_entities, public_announcements


def announcements(request):
    page = paginate(request, public_announcements(), per_page=20)
    return render(
        request,
        "portal/announcements.html",
        {"page": page, "query": query_without_page(request)},
    )


def announcement_detail(request, task_number):
    announcement = get_object_or_404(public_announcements(), task__number=task_number)
    context = {
        "announcement": announcement,
        "task": announcement.task,
        "items": announcement.task.items.order_by("name"),
        "page": paginate(request, public_announcement_entities(announcement)),
        "query": query_without_page(request),
    }
    return render(request, "portal/announcement_detail.html", context)
