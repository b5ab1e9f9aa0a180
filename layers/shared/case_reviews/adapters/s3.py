"""The private reports bucket: incoming uploads, the library's copies and their extracted text."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig, create_transfer_manager
from botocore.exceptions import ClientError

from case_reviews.domain.files import (
    PDF_CONTENT_TYPE,
    DownloadedObject,
    PresignedUpload,
    quarantine_key,
)

# DeleteObjects takes at most this many keys per call.
_DELETE_BATCH = 1000
_DOWNLOAD_CHUNK = 1024 * 1024
_HEAD_BYTES = 1024
# The error codes S3 answers for an object that is not there (GetObject, HeadObject, CopyObject).
_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


class S3FileStore:
    """The private reports bucket: reads and writes it, and signs the short-lived links that reach it."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def presign_upload(
        self, key: str, max_bytes: int, ttl_seconds: int, now: datetime, redirect_to: str | None = None
    ) -> PresignedUpload:
        """A presigned POST that admits one PDF of at most `max_bytes` at exactly `key`; with `redirect_to`,
        S3 answers a successful upload by sending the browser there (303, `success_action_redirect`)."""
        fields = {"Content-Type": PDF_CONTENT_TYPE}
        if redirect_to:
            fields["success_action_redirect"] = redirect_to
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields=fields,
            # Every field is a condition too: the policy admits exactly these values.
            Conditions=[*({name: value} for name, value in fields.items()), ["content-length-range", 1, max_bytes]],
            ExpiresIn=ttl_seconds,
        )
        return PresignedUpload(
            url=post["url"],
            fields=dict(post["fields"]),
            expires_at=now.astimezone(UTC) + timedelta(seconds=ttl_seconds),
            max_bytes=max_bytes,
        )

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def download(self, key: str, path: Path, limit_bytes: int) -> DownloadedObject | None:
        """Stream the object to a file, hashing as it goes; never more than `limit_bytes + 1` bytes. None when
        it is not there (already processed, or never uploaded)."""
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        digest = hashlib.sha256()
        size = 0
        head = b""
        try:
            with path.open("wb") as out:
                for chunk in body.iter_chunks(_DOWNLOAD_CHUNK):
                    chunk = chunk[: limit_bytes + 1 - size]
                    if len(head) < _HEAD_BYTES:
                        head += chunk[: _HEAD_BYTES - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                    if size > limit_bytes:
                        break
        finally:
            body.close()
        return DownloadedObject(path=path, size_bytes=size, sha256=digest.hexdigest(), head=head)

    def quarantine(self, key: str, submission_id: str) -> bool:
        """Move an upload to quarantine (copy, then delete); False when it has already gone."""
        try:
            self.client.copy_object(
                Bucket=self.bucket,
                Key=quarantine_key(submission_id),
                CopySource={"Bucket": self.bucket, "Key": key},
                MetadataDirective="COPY",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise
        self.delete(key)
        return True

    def read_text(self, key: str) -> str:
        return self.read(key).decode("utf-8")

    def write_pdf(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=PDF_CONTENT_TYPE)

    def write_pdf_file(self, key: str, path: Path) -> None:
        """Upload from disk (multipart past a threshold), so a large report is never held in memory."""
        self.client.upload_file(str(path), self.bucket, key, ExtraArgs={"ContentType": PDF_CONTENT_TYPE})

    def write_copy(self, pdf_key: str, pdf_path: Path, text_key: str, text_path: Path) -> None:
        """An electronic copy and its text, uploaded side by side from disk (multipart past a threshold)."""
        with create_transfer_manager(self.client, TransferConfig()) as transfers:
            uploads = [
                transfers.upload(str(pdf_path), self.bucket, pdf_key, extra_args={"ContentType": PDF_CONTENT_TYPE}),
                transfers.upload(
                    str(text_path), self.bucket, text_key, extra_args={"ContentType": "text/plain; charset=utf-8"}
                ),
            ]
            for upload in uploads:
                upload.result()  # the first failure, raised as the client raised it

    def write_text(self, key: str, text: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=key, Body=text.encode("utf-8"), ContentType="text/plain; charset=utf-8"
        )

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_every_version(self, key: str) -> int:
        """Remove the object for good: every version and delete marker of the versioned bucket.

        Returns how many were deleted; a key already gone deletes nothing, so a rerun is harmless.
        """
        found = []
        for page in self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=key):
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                if entry["Key"] == key:  # the prefix also matches longer keys
                    found.append({"Key": key, "VersionId": entry["VersionId"]})
        for start in range(0, len(found), _DELETE_BATCH):
            response = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": found[start : start + _DELETE_BATCH], "Quiet": True}
            )
            if response.get("Errors"):
                raise RuntimeError(f"could not delete every version of {key}: {response['Errors'][:3]}")
        return len(found)

    def presign_download(self, key: str, filename: str, ttl_seconds: int) -> str:
        """A short-lived GET link; it expires quickly so links copied elsewhere stop working."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentType": PDF_CONTENT_TYPE,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
            },
            ExpiresIn=ttl_seconds,
        )
