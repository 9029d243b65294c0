from django.conf import settings
from django.db import models

from .file_jobs import FileJob


class ExportJob(FileJob):
    """A list export too large for one request (``export_jobs.py``), written by a background
    job for the one who asked, with the filters they had on the list; ``total``: rows."""

    kind = models.CharField(max_length=32)  # a key of export_jobs.LIST_EXPORTS
    fmt = models.CharField(max_length=4)  # xlsx or csv
    query = models.TextField(blank=True)  # the list's filters, URL-encoded
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The requester's role and department when asked: the file holds that scope's rows, so a
    # requester moved to another department or role since may no longer take it.
    requested_role = models.CharField(max_length=20, blank=True)  # "": asked before this was kept
    requested_department = models.ForeignKey(
        "accounts.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(FileJob.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.kind} {self.fmt} #{self.pk}"
