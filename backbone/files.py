"""Stored files handed out by views that have checked organization and permission first:
uploads and generated PDFs are never served as a public folder."""

import mimetypes

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header


def file_response(file: FieldFile, *, filename: str | None = None, attachment: bool = False):
    """The stored file as a response. With `SENDFILE_HEADER` set (`X-Accel-Redirect` for
    nginx, `X-Sendfile` for Apache) and files on the local disk, the web server sends the
    file from `SENDFILE_PREFIX` + its name and Django only says which; otherwise Django
    streams it — from the object store too (S3_BUCKET): the bucket stays private and no
    presigned URL, which anyone holding it could use, leaves the permission check."""
    filename = filename or file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    header = getattr(settings, "SENDFILE_HEADER", "")
    if header and isinstance(file.storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response[header] = getattr(settings, "SENDFILE_PREFIX", "/protected/") + file.name
        response["Content-Disposition"] = content_disposition_header(attachment, filename)
    else:
        response = FileResponse(
            file.open("rb"), as_attachment=attachment, filename=filename, content_type=content_type
        )
    patch_cache_control(response, private=True)
    return response
