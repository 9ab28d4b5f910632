terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "0.1.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_instance" "bastion" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  tags          = { Name = "bastion" }
}

resource "aws_s3_bucket" "flow_logs" {
  bucket = "network-prod-flow-logs"
  tags   = { purpose = "vpc-flow-logs" }
}
