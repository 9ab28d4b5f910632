terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "0.1.0" }
  }
}

provider "aws" {
  region = "us-west-2"
}

resource "aws_instance" "worker" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "c6g.xlarge"
  tags          = { Name = "analytics-worker" }

  lifecycle {
    # The autoscaler retags workers; that is not drift.
    ignore_changes = [tags]
  }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-west-2a"
  size              = 500
  type              = "gp2"
}
