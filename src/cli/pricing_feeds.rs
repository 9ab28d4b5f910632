//! `pricing import --azure-retail` / `--gcp-billing`: fetching the clouds'
//! online price feeds page by page (the library turns each page into rows;
//! network I/O stays in the binary).

use anyhow::Context;
use clap::Args;
use driftcost::pricing::import::{
    ImportedTables, import_azure_retail_page, import_gcp_billing_page,
};
use std::time::Duration;

/// Compute Engine, Kubernetes Engine and Cloud SQL in the Cloud Billing Catalog.
const GCP_SERVICES: &[&str] = &["6F81-5844-456A", "CCD8-9BF1-090E", "9662-B51E-5089"];

#[derive(Args)]
pub struct FeedArgs {
    /// Import from the Azure Retail Prices API (no credentials needed).
    #[arg(long)]
    azure_retail: bool,
    /// Base URL of the Azure Retail Prices API.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://prices.azure.com/api/retail/prices"
    )]
    azure_retail_url: String,
    /// OData `$filter` for the Azure API, e.g. "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus'".
    #[arg(long, value_name = "ODATA")]
    azure_filter: Option<String>,
    /// Import from the Google Cloud Billing Catalog API (needs an API key).
    #[arg(long)]
    gcp_billing: bool,
    /// Base URL of the Cloud Billing API.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://cloudbilling.googleapis.com/v1"
    )]
    gcp_billing_url: String,
    /// Billing Catalog service ids to read (default: Compute Engine, Kubernetes Engine, Cloud SQL).
    #[arg(long = "gcp-service", value_name = "ID")]
    gcp_services: Vec<String>,
    /// Environment variable holding the Google API key.
    #[arg(long, value_name = "NAME", default_value = "GOOGLE_API_KEY")]
    gcp_api_key_env: String,
    /// Stop after this many pages per feed (a feed that never ends is an error).
    #[arg(long, value_name = "N", default_value_t = 5000)]
    max_pages: usize,
}

pub fn import(args: &FeedArgs, tables: &mut ImportedTables) -> anyhow::Result<()> {
    if !args.azure_retail && !args.gcp_billing {
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    runtime.block_on(async {
        if args.azure_retail {
            azure(args, &client, tables).await?;
        }
        if args.gcp_billing {
            gcp(args, &client, tables).await?;
        }
        anyhow::Ok(())
    })
}

async fn get(client: &reqwest::Client, url: reqwest::Url, shown: &str) -> anyhow::Result<Vec<u8>> {
    let resp = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("cannot fetch {shown}"))?;
    let status = resp.status();
    if !status.is_success() {
        anyhow::bail!(
            "{shown} answered HTTP {status}; check the URL (and, for Google, the API key)"
        );
    }
    Ok(resp
        .bytes()
        .await
        .with_context(|| format!("cannot read {shown}"))?
        .to_vec())
}

async fn azure(
    args: &FeedArgs,
    client: &reqwest::Client,
    tables: &mut ImportedTables,
) -> anyhow::Result<()> {
    let mut params = Vec::new();
    if let Some(f) = &args.azure_filter {
        params.push(("$filter", f.as_str()));
    }
    let mut url = reqwest::Url::parse_with_params(&args.azure_retail_url, &params)
        .with_context(|| format!("--azure-retail-url {} is not a URL", args.azure_retail_url))?;
    let (mut kept, mut read) = (0, 0);
    for n in 1..=args.max_pages {
        let shown = url.to_string();
        let body = get(client, url.clone(), &shown).await?;
        let page = import_azure_retail_page(&body, &shown, tables)?;
        kept += page.kept;
        read += page.items;
        tracing::debug!("azure page {n}: {page}");
        match page.next_page_link {
            Some(next) => {
                url = reqwest::Url::parse(&next)
                    .with_context(|| format!("{shown}: NextPageLink {next:?} is not a URL"))?;
            }
            None => {
                println!("Azure Retail Prices: {n} page(s), {read} prices read, {kept} kept");
                return Ok(());
            }
        }
    }
    anyhow::bail!(
        "Azure Retail Prices: still more pages after {}; narrow --azure-filter or raise --max-pages",
        args.max_pages
    )
}

async fn gcp(
    args: &FeedArgs,
    client: &reqwest::Client,
    tables: &mut ImportedTables,
) -> anyhow::Result<()> {
    let env = driftcost::env::Env::process();
    let key = env.var(&args.gcp_api_key_env).with_context(|| {
        format!(
            "--gcp-billing needs a Google API key in ${} (or name another variable with --gcp-api-key-env)",
            args.gcp_api_key_env
        )
    })?;
    let services: Vec<&str> = if args.gcp_services.is_empty() {
        GCP_SERVICES.to_vec()
    } else {
        args.gcp_services.iter().map(String::as_str).collect()
    };
    let base = args.gcp_billing_url.trim_end_matches('/');
    for service in services {
        let (mut kept, mut read, mut token) = (0, 0, None::<String>);
        let shown = format!("{base}/services/{service}/skus");
        for n in 1..=args.max_pages {
            let mut params = vec![("key", key.as_str()), ("pageSize", "5000")];
            if let Some(t) = &token {
                params.push(("pageToken", t.as_str()));
            }
            let url = reqwest::Url::parse_with_params(&shown, &params)
                .with_context(|| format!("--gcp-billing-url {base} is not a URL"))?;
            // The key is never shown: pages are named without it.
            let label = format!("{shown} (page {n})");
            let body = get(client, url, &label).await?;
            let page = import_gcp_billing_page(&body, &label, tables)?;
            kept += page.kept;
            read += page.skus;
            match page.next_page_token {
                Some(t) => token = Some(t),
                None => {
                    println!(
                        "Cloud Billing Catalog {service}: {n} page(s), {read} SKUs read, {kept} prices kept"
                    );
                    break;
                }
            }
            if n == args.max_pages {
                anyhow::bail!(
                    "Cloud Billing Catalog {service}: still more pages after {}; raise --max-pages",
                    args.max_pages
                );
            }
        }
    }
    Ok(())
}
