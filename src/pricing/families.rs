//! Which price-list attributes identify a price, per (service, product family).
//!
//! Resource files build [`crate::pricing::PriceFilter`]s with exactly these
//! attribute names, the shipped tables carry exactly these, and
//! `pricing import` keeps exactly these columns of the AWS Price List, so the
//! three always agree. Names are the AWS Price List's JSON attribute names;
//! `usagetype` has its region prefix (`USE2-`, `EUC1-`, …) removed.

pub struct Family {
    pub service: &'static str,
    pub product_family: &'static str,
    pub attributes: &'static [&'static str],
}

pub const FAMILIES: &[Family] = &[
    // --- network (nat gateway, load balancers, eip, route53, logs, kms, secrets, sqs, sns)
    Family {
        service: "AmazonEC2",
        product_family: "NAT Gateway",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSELB",
        product_family: "Load Balancer-Application",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSELB",
        product_family: "Load Balancer-Network",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSELB",
        product_family: "Load Balancer-Gateway",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSELB",
        product_family: "Load Balancer",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonVPC",
        product_family: "VPC Public IPv4 Address",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRoute53",
        product_family: "DNS Zone",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRoute53",
        product_family: "DNS Query",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudWatch",
        product_family: "Data Payload",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudWatch",
        product_family: "Storage Snapshot",
        attributes: &["usagetype"],
    },
    Family {
        service: "awskms",
        product_family: "Encryption Key",
        attributes: &["usagetype"],
    },
    Family {
        service: "awskms",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSSecretsManager",
        product_family: "Secret",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSSecretsManager",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSQueueService",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonSNS",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonSNS",
        product_family: "Message Delivery",
        attributes: &["usagetype"],
    },
    // --- compute (instances, EBS, EKS, Lambda, Fargate, detailed monitoring)
    Family {
        service: "AmazonEC2",
        product_family: "Compute Instance",
        attributes: &[
            "instanceType",
            "operatingSystem",
            "tenancy",
            "preInstalledSw",
            "licenseModel",
            "capacitystatus",
        ],
    },
    Family {
        service: "AmazonEC2",
        product_family: "CPU Credits",
        attributes: &["operatingSystem", "usagetype"],
    },
    Family {
        service: "AmazonEC2",
        product_family: "EBS Optimized",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonEC2",
        product_family: "Storage",
        attributes: &["volumeApiName"],
    },
    Family {
        service: "AmazonEC2",
        product_family: "System Operation",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonEC2",
        product_family: "Provisioned Throughput",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudWatch",
        product_family: "Metric",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonEKS",
        product_family: "Compute",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSLambda",
        product_family: "Serverless",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonECS",
        product_family: "Compute",
        attributes: &["usagetype"],
    },
    // --- data (rds, elasticache, dynamodb, s3, efs)
    Family {
        service: "AmazonRDS",
        product_family: "Database Instance",
        attributes: &["instanceType", "databaseEngine", "deploymentOption"],
    },
    Family {
        service: "AmazonRDS",
        product_family: "Database Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRDS",
        product_family: "Provisioned IOPS",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRDS",
        product_family: "Provisioned Throughput",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRDS",
        product_family: "System Operation",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRDS",
        product_family: "Storage Snapshot",
        attributes: &["usagetype"],
    },
    // Aurora and RDS extras priced by `aws_rds_cluster(_instance)` and
    // `aws_db_instance`: burstable CPU credits, Serverless v1/v2 capacity,
    // Performance Insights retention and API requests.
    Family {
        service: "AmazonRDS",
        product_family: "CPU Credits",
        attributes: &["databaseEngine", "usagetype"],
    },
    Family {
        service: "AmazonRDS",
        product_family: "ServerlessV2",
        attributes: &["databaseEngine", "usagetype"],
    },
    Family {
        service: "AmazonRDS",
        product_family: "Serverless",
        attributes: &["databaseEngine"],
    },
    Family {
        service: "AmazonRDS",
        product_family: "Performance Insights",
        attributes: &["usagetype"],
    },
    // RDS Extended Support per vCPU-hour: no row shipped (no published price
    // was at hand); a --pricing-dir table may supply it under this key.
    Family {
        service: "AmazonRDS",
        product_family: "Extended Support",
        attributes: &["databaseEngine", "engineMajorVersion"],
    },
    Family {
        service: "AmazonElastiCache",
        product_family: "Cache Instance",
        attributes: &["instanceType", "cacheEngine"],
    },
    Family {
        service: "AmazonElastiCache",
        product_family: "Storage Snapshot",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDynamoDB",
        product_family: "Provisioned IOPS",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDynamoDB",
        product_family: "Amazon DynamoDB PayPerRequest Throughput",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDynamoDB",
        product_family: "Database Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDynamoDB",
        product_family: "DDB-Operation-ReplicatedWrite",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDynamoDB",
        product_family: "Amazon DynamoDB On-Demand Backup Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDynamoDB",
        product_family: "Amazon DynamoDB Restore Data Size",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDynamoDB",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonS3",
        product_family: "Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonS3",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    // S3 Select, retrievals and Intelligent-Tiering monitoring
    Family {
        service: "AmazonS3",
        product_family: "Fee",
        attributes: &["usagetype"],
    },
    // Glacier flexible retrieval / deep archive retrievals and Select (their own offers)
    Family {
        service: "AmazonGlacier",
        product_family: "Fee",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonS3GlacierDeepArchive",
        product_family: "Fee",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonEFS",
        product_family: "Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonEFS",
        product_family: "Provisioned Throughput",
        attributes: &["usagetype"],
    },
    // --- more AWS types (aws-types helper): one usagetype per price unless noted
    Family {
        service: "AmazonCloudWatch",
        product_family: "Dashboard",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudWatch",
        product_family: "Alarm",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSConfig",
        product_family: "Management Tools - AWS Config Rules",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonECR",
        product_family: "EC2 Container Registry",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSSystemsManager",
        product_family: "AWS Systems Manager",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSSystemsManager",
        product_family: "API Request",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonStates",
        product_family: "AWS Step Functions",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSBackup",
        product_family: "AWS Backup Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSBackup",
        product_family: "AWS Backup Early Delete Size",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonEC2",
        product_family: "Storage Snapshot",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonFSx",
        product_family: "Storage",
        // storageType SSD, HDD, or Backup (the BackupUsage products).
        attributes: &["fileSystemType", "deploymentOption", "storageType"],
    },
    Family {
        service: "AmazonVPC",
        product_family: "VpcEndpoint",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonVPC",
        product_family: "Cloud Connectivity",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonVPC",
        product_family: "Transit Gateway",
        attributes: &["usagetype", "operation"],
    },
    Family {
        service: "AmazonKinesis",
        product_family: "Kinesis Streams",
        attributes: &["usagetype", "operation"],
    },
    Family {
        service: "AmazonApiGateway",
        product_family: "API Calls",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonApiGateway",
        product_family: "WebSocket",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonKinesisFirehose",
        product_family: "Kinesis Firehose",
        attributes: &["group", "operation"],
    },
    Family {
        service: "AWSCertificateManager",
        product_family: "AWS Certificate Manager",
        attributes: &["usagetype"],
    },
    Family {
        service: "awswaf",
        product_family: "Web Application Firewall",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonMQ",
        product_family: "Broker Instances",
        attributes: &["instanceType", "brokerEngine", "deploymentOption"],
    },
    Family {
        service: "AmazonMQ",
        product_family: "Broker Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSGlobalAccelerator",
        product_family: "Accelerator",
        attributes: &["usagetype"],
    },
    Family {
        service: "AWSGlobalAccelerator",
        product_family: "Data Transfer Premium",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDocDB",
        product_family: "Database Instance",
        attributes: &["instanceType"],
    },
    Family {
        service: "AmazonDocDB",
        product_family: "Database Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDocDB",
        product_family: "System Operation",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonDocDB",
        product_family: "CPU Credits",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonNeptune",
        product_family: "Database Instance",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonNeptune",
        product_family: "CPU Credits",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonMSK",
        product_family: "Managed Streaming for Apache Kafka (MSK)",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRedshift",
        product_family: "Compute Instance",
        attributes: &["instanceType"],
    },
    Family {
        service: "AmazonRedshift",
        product_family: "Redshift Managed Storage",
        attributes: &["instanceType"],
    },
    Family {
        service: "AmazonRedshift",
        product_family: "Redshift Concurrency Scaling",
        attributes: &["instanceType"],
    },
    Family {
        service: "AmazonRedshift",
        product_family: "Redshift Data Scan",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonRedshift",
        product_family: "Storage Snapshot",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonES",
        product_family: "Amazon OpenSearch Service Instance",
        attributes: &["instanceType"],
    },
    Family {
        service: "AmazonES",
        product_family: "Amazon OpenSearch Service Volume",
        attributes: &["storageMedia"],
    },
    Family {
        service: "AmazonFSx",
        product_family: "Provisioned Throughput",
        attributes: &["fileSystemType", "deploymentOption"],
    },
    Family {
        service: "AmazonCloudFront",
        product_family: "Data Transfer",
        attributes: &["transferType", "fromLocation"],
    },
    Family {
        service: "AmazonCloudFront",
        product_family: "Request",
        attributes: &["usagetype", "location"],
    },
    Family {
        service: "AmazonCloudFront",
        product_family: "Real-time Log",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudFront",
        product_family: "SSL Certificate",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudFront",
        product_family: "Invalidation",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonCloudFront",
        product_family: "Origin Shield",
        attributes: &["location"],
    },
    // --- Google Cloud (cloud `google`): Cloud Billing Catalog service and
    // resource family names; `description` is the SKU description with any
    // region suffix removed.
    Family {
        service: "Compute Engine",
        product_family: "Compute Instance",
        attributes: &["machineType"],
    },
    Family {
        service: "Compute Engine",
        product_family: "Compute",
        attributes: &["description"],
    },
    Family {
        service: "Compute Engine",
        product_family: "Storage",
        attributes: &["description"],
    },
    Family {
        service: "Compute Engine",
        product_family: "Network",
        attributes: &["description"],
    },
    Family {
        service: "Kubernetes Engine",
        product_family: "Compute",
        attributes: &["description"],
    },
    Family {
        service: "Cloud SQL",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "Cloud Memorystore for Redis",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "Cloud Storage",
        product_family: "Storage",
        attributes: &["resourceGroup"],
    },
    Family {
        service: "Cloud Storage",
        product_family: "Retrieval",
        attributes: &["resourceGroup"],
    },
    Family {
        service: "Cloud Storage",
        product_family: "Operations",
        attributes: &["resourceGroup", "class"],
    },
    // --- Azure (cloud `azure`): Retail Prices API `serviceName` and our
    // family; attributes are the API's field names.
    Family {
        service: "Virtual Machines",
        product_family: "Compute",
        attributes: &["armSkuName", "operatingSystem"],
    },
    Family {
        service: "Storage",
        product_family: "Managed Disks",
        attributes: &["skuName"],
    },
    Family {
        service: "Storage",
        product_family: "Managed Disk Operations",
        attributes: &["skuName"],
    },
    Family {
        service: "Storage",
        product_family: "Ultra Disks",
        attributes: &["meterName"],
    },
    Family {
        service: "Virtual Network",
        product_family: "IP Addresses",
        attributes: &["meterName"],
    },
    Family {
        service: "Azure Kubernetes Service",
        product_family: "Compute",
        attributes: &["skuName"],
    },
    Family {
        service: "Load Balancer",
        product_family: "Load Balancer",
        attributes: &["meterName"],
    },
    Family {
        service: "Azure App Service",
        product_family: "Plans",
        attributes: &["skuName", "operatingSystem"],
    },
    Family {
        service: "Azure Database for PostgreSQL",
        product_family: "Compute",
        attributes: &["skuName"],
    },
    Family {
        service: "Azure Database for PostgreSQL",
        product_family: "Storage",
        attributes: &["meterName"],
    },
    Family {
        service: "Azure DNS",
        product_family: "Zones",
        attributes: &["meterName"],
    },
    Family {
        service: "AmazonFSx",
        product_family: "Provisioned IOPS",
        attributes: &["fileSystemType", "deploymentOption"],
    },
    Family {
        service: "AmazonNeptune",
        product_family: "Database Storage",
        attributes: &["usagetype"],
    },
    Family {
        service: "AmazonNeptune",
        product_family: "System Operation",
        attributes: &["usagetype"],
    },
    // --- Azure, more services (helper azure): Retail Prices API field names.
    Family {
        service: "Virtual Network",
        product_family: "NAT Gateway",
        attributes: &["meterName"],
    },
    Family {
        service: "Virtual Network",
        product_family: "Private Link",
        attributes: &["meterName"],
    },
    Family {
        service: "Redis Cache",
        product_family: "Cache",
        attributes: &["productName", "skuName"],
    },
    Family {
        service: "Azure Database for MySQL",
        product_family: "Compute",
        attributes: &["skuName"],
    },
    Family {
        service: "Azure Database for MySQL",
        product_family: "Storage",
        attributes: &["meterName"],
    },
    Family {
        service: "Azure Monitor",
        product_family: "Logs",
        attributes: &["meterName"],
    },
    Family {
        service: "SQL Database",
        product_family: "Compute",
        attributes: &["productName", "skuName"],
    },
    Family {
        service: "SQL Database",
        product_family: "License",
        attributes: &["productName"],
    },
    Family {
        service: "SQL Database",
        product_family: "Storage",
        attributes: &["skuName"],
    },
    Family {
        service: "SQL Database",
        product_family: "DTU",
        attributes: &["skuName"],
    },
    Family {
        service: "SQL Database",
        product_family: "Backup",
        attributes: &["meterName"],
    },
    Family {
        service: "Azure Firewall",
        product_family: "Firewall",
        attributes: &["meterName"],
    },
    // --- Google Cloud services beyond Compute (issue 15): Cloud Billing
    // Catalog service display names; `description` as for Compute.
    Family {
        service: "Cloud DNS",
        product_family: "Network",
        attributes: &["description"],
    },
    Family {
        service: "Cloud Key Management Service (KMS)",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "Secret Manager",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "Cloud Pub/Sub",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "Cloud Logging",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "Cloud Functions",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "BigQuery",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "BigQuery Storage API",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "Cloud Run",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    Family {
        service: "Artifact Registry",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    // Artifact Registry inter-region egress, by SKU description.
    Family {
        service: "Artifact Registry",
        product_family: "Network",
        attributes: &["description"],
    },
    // --- Azure, issue 15 second round (helper azure): container registry,
    // key vault, functions, application and VPN gateways, Cosmos DB, storage.
    Family {
        service: "Container Registry",
        product_family: "Containers",
        attributes: &["skuName", "meterName"],
    },
    Family {
        service: "Key Vault",
        product_family: "Security",
        attributes: &["skuName", "meterName"],
    },
    Family {
        service: "Functions",
        product_family: "Compute",
        attributes: &["meterName"],
    },
    Family {
        service: "Storage",
        product_family: "Storage",
        attributes: &["productName", "skuName", "meterName"],
    },
    Family {
        service: "Application Gateway",
        product_family: "Networking",
        attributes: &["productName", "meterName"],
    },
    Family {
        service: "Application Gateway",
        product_family: "Data Processed",
        attributes: &["meterName"],
    },
    Family {
        service: "VPN Gateway",
        product_family: "Networking",
        attributes: &["meterName"],
    },
    // --- Azure Database single servers (helper azure-more): compute by the
    // Retail API's productName (`General Purpose - Compute Gen5`) and skuName
    // (`4 vCore`); storage and backups by productName and skuName.
    Family {
        service: "Azure Database for PostgreSQL",
        product_family: "Single Server Compute",
        attributes: &["productName", "skuName"],
    },
    Family {
        service: "Azure Database for PostgreSQL",
        product_family: "Single Server Storage",
        attributes: &["productName", "skuName"],
    },
    Family {
        service: "Azure Database for MySQL",
        product_family: "Single Server Compute",
        attributes: &["productName", "skuName"],
    },
    Family {
        service: "Azure Database for MySQL",
        product_family: "Single Server Storage",
        attributes: &["productName", "skuName"],
    },
    Family {
        service: "Azure Database for MariaDB",
        product_family: "Single Server Compute",
        attributes: &["productName", "skuName"],
    },
    Family {
        service: "Azure Database for MariaDB",
        product_family: "Single Server Storage",
        attributes: &["productName", "skuName"],
    },
    // SQL Managed Instance: compute by productName and `4 vCore`; storage and
    // backups by productName and meterName; the licence by productName (global).
    Family {
        service: "SQL Managed Instance",
        product_family: "Compute",
        attributes: &["productName", "skuName"],
    },
    Family {
        service: "SQL Managed Instance",
        product_family: "Storage",
        attributes: &["productName", "meterName"],
    },
    Family {
        service: "SQL Managed Instance",
        product_family: "License",
        attributes: &["productName"],
    },
    // SQL Database elastic pools' eDTU packs (`SQL Database Elastic Pool -
    // Standard`, `200 DTU Pack`), per day.
    Family {
        service: "SQL Database",
        product_family: "Elastic Pool DTU",
        attributes: &["productName", "skuName"],
    },
    // Google internet egress (Cloud Storage, Container Registry), by destination.
    Family {
        service: "Cloud Storage",
        product_family: "Network",
        attributes: &["description"],
    },
    // Azure Cosmos DB (issue 15): throughput, storage, analytical storage and
    // operations, backups, restores; Retail Prices API fields.
    Family {
        service: "Azure Cosmos DB",
        product_family: "Databases",
        attributes: &["productName", "skuName", "meterName"],
    },
    // Google Memorystore for Valkey (`google_memorystore_instance`), by SKU description.
    Family {
        service: "Cloud Memorystore",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    // Google Cloud Monitoring: metric volume and API calls, by SKU description.
    Family {
        service: "Cloud Monitoring",
        product_family: "ApplicationServices",
        attributes: &["description"],
    },
    // --- az-data (issue 15)
    // Azure API Management: units per hour by tier, self-hosted gateways,
    // Consumption calls per 10K; Retail Prices API `skuName`.
    Family {
        service: "API Management",
        product_family: "Developer Tools",
        attributes: &["skuName"],
    },
    // Azure AI Search (Cognitive Search): search units per hour by sku,
    // image extraction (`Document Cracking`) per 1K images in tiers.
    Family {
        service: "Azure Cognitive Search",
        product_family: "Web",
        attributes: &["skuName"],
    },
    // Azure App Configuration: instances per day, overage requests per 10K.
    Family {
        service: "App Configuration",
        product_family: "Developer Tools",
        attributes: &["meterName"],
    },
    // Azure Service Bus: messaging units, base charge, operations and
    // brokered connections (tiered), by sku and meter.
    Family {
        service: "Service Bus",
        product_family: "Integration",
        attributes: &["skuName", "meterName"],
    },
    // Azure Event Grid: topic operations per 100K.
    Family {
        service: "Event Grid",
        product_family: "Internet of Things",
        attributes: &["skuName", "meterName"],
    },
    // Azure SignalR Service: units per day and messages per 1M, by meter.
    Family {
        service: "SignalR",
        product_family: "Analytics",
        attributes: &["meterName"],
    },
    // Azure Power BI Embedded: capacity nodes per hour by sku.
    Family {
        service: "Power BI Embedded",
        product_family: "Analytics",
        attributes: &["skuName"],
    },
    // Azure Logic Apps integration accounts: per month by sku.
    Family {
        service: "Logic Apps",
        product_family: "Integration",
        attributes: &["productName", "skuName", "meterName"],
    },
    // Azure Notification Hubs: namespaces per month and pushes per 1M
    // (tiered). Infracost filters no product family here; the family is
    // named after the service.
    Family {
        service: "Notification Hubs",
        product_family: "Notification Hubs",
        attributes: &["productName", "skuName", "meterName"],
    },
    // Azure Data Factory v2: factory operations per 50K entities.
    Family {
        service: "Azure Data Factory v2",
        product_family: "Analytics",
        attributes: &["productName", "skuName", "meterName"],
    },
    // Azure IoT Hub: hub units per month, device provisioning per 1K.
    Family {
        service: "IoT Hub",
        product_family: "Internet of Things",
        attributes: &["skuName", "meterName"],
    },
    // --- az-ops (issue 15)
    // Azure DNS queries (public and private record sets), per million, by
    // DNS pricing zone (`Zone 1`).
    Family {
        service: "Azure DNS",
        product_family: "Networking",
        attributes: &["meterName"],
    },
    // Azure Monitor alerts: metric time series and dynamic thresholds.
    Family {
        service: "Azure Monitor",
        product_family: "Management and Governance",
        attributes: &["meterName"],
    },
    // Azure DDoS Network Protection: the plan and resources past its 100.
    Family {
        service: "Azure DDOS Protection",
        product_family: "Networking",
        attributes: &["skuName", "meterName"],
    },
    // Azure Bastion: host hours and outbound data, by SKU.
    Family {
        service: "Azure Bastion",
        product_family: "Networking",
        attributes: &["skuName", "meterName"],
    },
    // Azure Load Balancer rules past those a Standard balancer includes.
    Family {
        service: "Load Balancer",
        product_family: "Networking",
        attributes: &["skuName", "meterName"],
    },
    // Application Insights: data ingested and retained past 90 days.
    Family {
        service: "Application Insights",
        product_family: "Management and Governance",
        attributes: &["skuName", "meterName"],
    },
    // Traffic Manager: DNS queries, endpoints, health checks, Traffic View.
    Family {
        service: "Traffic Manager",
        product_family: "Networking",
        attributes: &["skuName", "meterName"],
    },
    // --- az-rest (issue 15)
    // Azure Databricks: DBU-hours per workload and tier.
    Family {
        service: "Azure Databricks",
        product_family: "Analytics",
        attributes: &["skuName"],
    },
    // Azure Automation: job run minutes, non-Azure DSC nodes, watcher hours.
    Family {
        service: "Automation",
        product_family: "Management and Governance",
        attributes: &["skuName", "meterName"],
    },
];

/// The family entry for a service and product family.
pub fn family(service: &str, product_family: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .find(|f| f.service == service && f.product_family == product_family)
}
