"""A real S3-compatible server for tests: moto in server mode on loopback, spoken to over
HTTP by boto3 exactly as a deployment speaks to S3 or MinIO (no mock of the storage class)."""

import socket
from contextlib import contextmanager

import boto3

ACCESS_KEY = "backbone-test"
SECRET_KEY = "backbone-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def s3_server():
    """Start moto's S3 server on a free loopback port; yields its endpoint URL."""
    from moto.server import (
        ThreadedMotoServer,  # imported here: it pulls in Flask, only S3 tests need it
    )

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )


def bucket_create(endpoint: str, name: str) -> None:
    s3_client(endpoint).create_bucket(Bucket=name)


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    """The variables a node is started with to use the bucket."""
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def s3_storages(endpoint: str, bucket: str) -> dict:
    """The STORAGES setting that backbone/settings.py builds from s3_environment."""
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
