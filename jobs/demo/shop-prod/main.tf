# The shop's production stack. The provider is driftcost's file-backed stand-in for
# hashicorp/aws (tests/tf-provider): `driftcost demo` serves it from a local mirror and
# points it at a directory of JSON files that plays the cloud.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "0.1.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.large"
  tags          = { Name = "shop-web", owner = "team-shop" }
}

resource "aws_ebs_volume" "uploads" {
  availability_zone = "us-east-1a"
  size              = 200
  type              = "gp3"
  tags              = { Name = "shop-uploads" }
}

resource "aws_db_instance" "orders" {
  identifier        = "shop-orders"
  instance_class    = "db.t3.xlarge"
  engine            = "postgres"
  allocated_storage = 100
  username          = "shop"
  password          = var.db_password
}
