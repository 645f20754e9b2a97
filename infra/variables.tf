variable "aws_region" {
  description = "Region of every resource; also the service's Storage:DynamoDb:Region and OperationalLog:S3:Region."
  type        = string
  default     = "eu-west-1"
}

variable "use_localstack" {
  description = "Point the provider at LocalStack (make up) instead of AWS: fixed test credentials, no account lookups, path-style S3. Only the tables and the log bucket are created there."
  type        = bool
  default     = false
}

variable "localstack_endpoint" {
  description = "LocalStack's edge endpoint, used when use_localstack is true."
  type        = string
  default     = "http://localhost:4566"
}

variable "enable_compute" {
  description = "Create the ECS Fargate service, its load balancer and IAM roles (ignored with use_localstack: LocalStack's free edition has no ECS or ELB)."
  type        = bool
  default     = true
}

variable "image" {
  description = "The service's container image (built from the repository's Dockerfile), e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/courier-capacity:1.4.0. Required with compute."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the load balancer and the tasks. Required with compute."
  type        = string
  default     = null
}

variable "public_subnet_ids" {
  description = "Subnets of the internet-facing load balancer (two or more availability zones)."
  type        = list(string)
  default     = []
}

variable "private_subnet_ids" {
  description = "Subnets of the tasks; they need a route to DynamoDB and S3 (NAT gateway or VPC endpoints) and to the image registry."
  type        = list(string)
  default     = []
}

variable "assign_public_ip" {
  description = "Give tasks public IPs (only for subnets without NAT, e.g. a default VPC in dev)."
  type        = bool
  default     = false
}

variable "allowed_ingress_cidrs" {
  description = "Who may reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on 443; without it the load balancer listens on HTTP 80 only."
  type        = string
  default     = null
}

variable "log_bucket_name" {
  description = "Name of the operational log bucket; default <workspace>-courier-capacity-operational-log (bucket names are global: override it on AWS, e.g. with the account id)."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the tables and the bucket; default: AWS managed keys (aws/dynamodb, SSE-S3)."
  type        = string
  default     = null
}

variable "otel_collector_image" {
  description = "The AWS Distro for OpenTelemetry collector, run beside the API in each task (observability.tf)."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"
}

variable "alarm_topic_arn" {
  description = "SNS topic the alarms notify (on alarm and back to OK); without it they only show in CloudWatch."
  type        = string
  default     = null
}
