#!/usr/bin/env bash
# Install the pinned Terraform release in a CodeBuild container, checking its
# SHA-256 against HashiCorp's published sums.
set -euo pipefail
version="$1"
command -v terraform >/dev/null && terraform version | grep -q "v${version}$" && exit 0
cd "$(mktemp -d)"
base="https://releases.hashicorp.com/terraform/${version}"
curl -fsSLO "${base}/terraform_${version}_linux_amd64.zip"
curl -fsSLO "${base}/terraform_${version}_SHA256SUMS"
grep "terraform_${version}_linux_amd64.zip" "terraform_${version}_SHA256SUMS" | sha256sum -c -
unzip -q "terraform_${version}_linux_amd64.zip" -d /usr/local/bin
terraform version
