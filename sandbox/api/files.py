"""/3/inbox and /3/archive: the files a tenant keeps (connections: sandbox/api/fileconnections.py).

As openapi.json describes them: an upload is multipart/form-data with one part named "file" and
answers 201 {"File": {...}} (fortnox_Folder_FileRow); a folder answers {"Folder": {Files, Folders}};
a single file answers its bytes. The inbox has nine static folders in its root (the tag's table);
the archive lists its root, or the folder named by ?path=. Scopes per FORTNOX.md §1.6: inbox,
archive; without the tenant's archive licence they answer 403 like a missing scope (the control
API's PUT /_sandbox/tenants/<id>/licences).
"""

from __future__ import annotations

import base64
from typing import Any

from flask import Response, request

from sandbox.api.common import args, bp, requires, root, single, store, tenant
from sandbox.errors import ApiError, error_response

INBOX_FOLDERS = ("Inbox_a", "Inbox_d", "Inbox_s", "Inbox_v", "Inbox_b", "Inbox_l", "Inbox_kf",
                 "Inbox_o", "Inbox_of")  # fmt: skip
ARCHIVE_ROOT = "root"


def licensed() -> bool:
    """Whether the tenant holds the archive licence (on unless the control API turned it off)."""
    found = store().get(tenant(), "licence", "archive")
    return found is None or bool(found.get("active", True))


def guarded(view: Any) -> Any:
    """Refuse the view as Fortnox does when the company lacks the licence."""

    def wrapper(*a: Any, **kw: Any) -> Any:
        return view(*a, **kw) if licensed() else error_response("missing_scope")

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _row(file: dict, place: str) -> dict:
    """A file as a folder lists it (fortnox_Folder_FileRow)."""
    return {
        "@url": f"{root()}{place}/{file['Id']}",
        "ArchiveFileId": file["Id"],
        "Comments": file.get("Comments", ""),
        "Id": file["Id"],
        "Name": file["Name"],
        "Path": file["Path"],
        "Size": file["Size"],
    }


def _files(place: str, folder: str) -> list[dict]:
    """The files of one folder of the inbox or the archive, oldest first."""
    return [f for f in store().docs(tenant(), "file") if (f["Place"], f["Path"]) == (place, folder)]


def _folder(place: str, folder: str, subfolders: list[str]) -> Response:
    """A folder with its files and subfolders (fortnox_Folder_Wrap)."""
    rows = [_row(f, place) for f in _files(place, folder)]
    children = [{"@url": f"{root()}{place}/{n}", "Id": n.lower(), "Name": n} for n in subfolders]
    name = folder if folder else place
    out = {"@url": f"{root()}{place}", "Email": "", "Files": rows, "Folders": children}
    return single("Folder", {**out, "Id": name.lower(), "Name": name})


def _upload(place: str, folder: str) -> Response:
    """Keep the multipart part named "file"; answer the stored file's row (201)."""
    if not request.mimetype.startswith("multipart/form-data"):
        raise ApiError("bad_content_type")
    part = request.files.get("file")
    if part is None or not part.filename:
        raise ApiError("no_data")
    data = part.read()
    number = store().next_number(tenant(), "file")
    file_id = f"00000000-0000-4000-8000-{number:012d}"
    file = {
        "Id": file_id,
        "Name": part.filename,
        "Path": folder,
        "Place": place,
        "Size": len(data),
        "ContentType": part.mimetype or "application/octet-stream",
        "Data": base64.b64encode(data).decode("ascii"),
    }
    store().put(tenant(), "file", file_id, file, sort=f"{number:012d}")
    return single("File", _row(file, place), 201)


def _download(place: str, file_id: str) -> Response:
    """A stored file's bytes, or Fortnox's not-found error."""
    file = store().get(tenant(), "file", file_id)
    if file is None or file["Place"] != place:
        raise ApiError("not_found", value=f"filen {file_id}")
    return Response(base64.b64decode(file["Data"]), mimetype=file["ContentType"])


def _remove(place: str, file_id: str) -> Response:
    """Delete a file that no voucher is connected to."""
    file = store().get(tenant(), "file", file_id)
    if file is None or file["Place"] != place:
        raise ApiError("not_found", value=f"filen {file_id}")
    if store().get(tenant(), "fileconnection", file_id) is not None:
        raise ApiError("file_connected", value=file_id)
    store().delete(tenant(), "file", file_id)
    return Response(status=204)


@bp.get("/inbox")
@requires("inbox")
@guarded
def inbox_root() -> Response:
    """The inbox's root folder with its nine static folders."""
    return _folder("inbox", "", list(INBOX_FOLDERS))


@bp.post("/inbox")
@requires("inbox")
@guarded
def inbox_upload() -> Response:
    """Upload a file into the inbox (folderId or path names one of its folders; else its root)."""
    wanted = args().get("folderid") or args().get("path") or ""
    folder = next((n for n in INBOX_FOLDERS if wanted.lower() in (n.lower(),)), None)
    if wanted and folder is None:
        raise ApiError("not_found", value=f"mappen {wanted}")
    return _upload("inbox", folder or "")


@bp.get("/inbox/<item>")
@requires("inbox")
@guarded
def inbox_item(item: str) -> Response:
    """A static folder of the inbox, or a file's bytes."""
    folder = next((n for n in INBOX_FOLDERS if n.lower() == item.lower()), None)
    if folder is not None:
        return _folder("inbox", folder, [])
    return _download("inbox", item)


@bp.delete("/inbox/<item>")
@requires("inbox")
@guarded
def inbox_remove(item: str) -> Response:
    """Remove a file from the inbox."""
    return _remove("inbox", item)


@bp.get("/archive")
@requires("archive")
@guarded
def archive_folder() -> Response:
    """The archive's root (or ?path= folder); ?fileid= answers that file's bytes."""
    if args().get("fileid"):
        return _download("archive", args()["fileid"])
    path = (args().get("path") or "").strip("/")
    if path not in ("", ARCHIVE_ROOT):
        raise ApiError("not_found", value=f"mappen {path}")
    return _folder("archive", "", [])


@bp.post("/archive")
@requires("archive")
@guarded
def archive_upload() -> Response:
    """Upload a file into the archive's root (the only folder the API can name here)."""
    wanted = (args().get("path") or args().get("folderid") or "").strip("/")
    if wanted not in ("", ARCHIVE_ROOT):
        raise ApiError("not_found", value=f"mappen {wanted}")
    return _upload("archive", "")


@bp.delete("/archive")
@requires("archive")
@guarded
def archive_remove_path() -> Response:
    """Remove the file of the archive's root named by ?path=."""
    name = (args().get("path") or "").strip("/")
    found = next((f for f in _files("archive", "") if f["Name"] == name), None)
    if found is None:
        raise ApiError("not_found", value=f"filen {name}")
    return _remove("archive", found["Id"])


@bp.get("/archive/<file_id>")
@requires("archive")
@guarded
def archive_file(file_id: str) -> Response:
    """One file's bytes."""
    return _download("archive", file_id)


@bp.delete("/archive/<file_id>")
@requires("archive")
@guarded
def archive_remove(file_id: str) -> Response:
    """Delete one file of the archive."""
    return _remove("archive", file_id)
