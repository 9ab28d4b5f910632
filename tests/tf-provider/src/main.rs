//! A file-backed stand-in for the terraform AWS provider (`hashicorp/aws`), so driftcost's
//! tests and `driftcost demo` can run real terraform with no network. Every object is a JSON
//! file under the cloud directory; editing or deleting one is drift that a refresh-only plan
//! reports. stdout belongs to the plugin handshake: nothing else may print there.

mod provider;
mod resource;
mod spec;
mod store;
mod types;

fn main() {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("terraform-provider-aws (driftcost test): cannot start tokio: {e}");
            std::process::exit(1);
        }
    };
    runtime.spawn(exit_when_orphaned());
    if let Err(e) = runtime.block_on(tf_provider::serve("aws", provider::AwsProvider::default())) {
        eprintln!("terraform-provider-aws (driftcost test): {e:#}");
        std::process::exit(1);
    }
}

/// Exits once the process that started the provider is gone. Terraform normally stops its
/// plugins itself, but a killed terraform (a timeout in driftcost) cannot, and a provider
/// left behind would hold its port and, with the hang hook, a request forever.
async fn exit_when_orphaned() {
    let parent = std::os::unix::process::parent_id();
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        if std::os::unix::process::parent_id() != parent {
            std::process::exit(1);
        }
    }
}
