terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  # State is local (terraform.tfstate.d/<workspace>/) until a backend is configured, e.g.
  #   terraform init -backend-config=backend.hcl   with backend "s3" { bucket, key, region, use_lockfile }
  # added here; workspaces then live under env:/<workspace>/ in that bucket. See README.md.
}
