# Plans run only in the dev, test or prod workspace: the workspace names every resource.
resource "terraform_data" "workspace" {
  input = terraform.workspace

  lifecycle {
    precondition {
      condition     = contains(keys(local.environments), terraform.workspace)
      error_message = "Select an environment first: terraform workspace select dev (or test, prod); see infra/README.md."
    }
  }
}
