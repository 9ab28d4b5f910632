//! The integration tests: one binary, so the dependency tree is linked once.
//! Real terraform, real protocol servers (`scripts/test-servers.sh`), real stores.
//! Shared helpers live in `support/`; each test file is a module named for what it tests.

mod support;

mod api;
mod api_hostile;
mod api_logging;
mod approvals;
mod architecture;
mod audit;
mod backends;
mod cli_errors;
mod cli_exit;
mod comment_github;
mod comment_workspace;
mod cost_azure_more;
mod cost_compute;
mod cost_cosmos;
mod cost_data;
mod cost_gcp_azure;
mod cost_google_more;
mod cost_more_types;
mod cost_network;
mod cost_parity_corpus;
mod cost_regions;
mod cost_trust;
mod demo;
mod deploy_manifests;
mod drift_pr;
mod github_webhook;
mod jobs_check;
mod jobs_validation;
mod notify_email;
mod notify_http;
mod pages;
mod paths;
mod plan_inputs;
mod policy;
mod policy_worker;
mod pricing_import;
mod pricing_update;
mod report;
mod runs_show;
mod scan_e2e;
mod secrets_corpus;
mod store_postgres;
mod tf_provider_e2e;
mod unpriced_totals;
mod worker_crash;
mod worker_e2e;
mod worker_reports;
