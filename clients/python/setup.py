# Packaging of realitycheck-client; clients/python/build runs it on a staged copy that holds the
# stubs generated from proto/ (so this file is not meant to be run from here).
import os

from setuptools import find_packages, setup

setup(
    name="realitycheck-client",
    version=os.environ.get("REALITYCHECK_CLIENT_VERSION", "0.1.0.dev0"),
    description="Python client of Reality Check: embeddings, search, evaluations, leaderboards",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    packages=find_packages(include=["realitycheck_client", "realitycheck_client.*"]),
    python_requires=">=3.9",
    install_requires=["grpcio>=1.51", "protobuf>=3.21", "numpy>=1.21"],
    extras_require={"kafka": ["confluent-kafka>=1.9"]},
)
