//! The `aws` provider block: where the fake cloud lives and which region it pretends to be.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{ValueAny, ValueEmpty};
use tf_provider::{Diagnostics, DynamicResource, Provider};

use crate::resource::FileResource;
use crate::spec::{BlockSpec, Mode, Obj, Spec, Ty, attr, get_str};
use crate::store::{CLOUD_DIR_ENV, Settings, SharedSettings};
use crate::types;

/// Region when the provider block names none (the real provider would require one).
pub const DEFAULT_REGION: &str = "us-east-1";

const DEFAULT_TAGS: Spec = Spec {
    attrs: &[attr("tags", Ty::StringMap, Mode::Optional)],
    blocks: &[],
};

const CONFIG: Spec = Spec {
    attrs: &[
        attr("cloud_dir", Ty::String, Mode::Optional),
        attr("region", Ty::String, Mode::Optional),
    ],
    blocks: &[BlockSpec {
        name: "default_tags",
        max_items: Some(1),
        spec: &DEFAULT_TAGS,
    }],
};

#[derive(Default)]
pub struct AwsProvider {
    settings: SharedSettings,
}

impl AwsProvider {
    fn settings_from(config: &ValueAny, diags: &mut Diagnostics) -> Option<Settings> {
        let config = CONFIG.normalize(config);
        let cloud_dir = match get_str(&config, "cloud_dir") {
            Some(dir) => PathBuf::from(dir),
            None => match std::env::var_os(CLOUD_DIR_ENV) {
                Some(dir) if !dir.is_empty() => PathBuf::from(dir),
                _ => {
                    diags.root_error(
                        "no cloud directory for the aws test provider",
                        format!(
                            "set `cloud_dir` in the provider block or the {CLOUD_DIR_ENV} \
                             environment variable to the directory holding the fake cloud"
                        ),
                    );
                    return None;
                }
            },
        };
        let region = get_str(&config, "region")
            .unwrap_or(DEFAULT_REGION)
            .to_owned();
        let mut default_tags = Obj::new();
        if let Some(ValueAny::List(blocks)) = config.get("default_tags") {
            for block in blocks {
                if let ValueAny::Map(block) = block {
                    if let Some(ValueAny::Map(tags)) = block.get("tags") {
                        default_tags.extend(tags.clone());
                    }
                }
            }
        }
        Some(Settings {
            cloud_dir,
            region,
            default_tags,
        })
    }
}

#[async_trait]
impl Provider for AwsProvider {
    type Config<'a> = ValueAny;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(CONFIG.schema("file-backed stand-in for the AWS provider"))
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        _terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        let settings = Self::settings_from(&config, diags)?;
        if let Err(e) = std::fs::create_dir_all(&settings.cloud_dir) {
            diags.root_error(
                format!("cannot create {}", settings.cloud_dir.display()),
                e.to_string(),
            );
            return None;
        }
        *self.settings.write().ok()? = Some(settings);
        Some(())
    }

    fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(
            types::ALL
                .iter()
                .map(|kind| {
                    let resource: Box<dyn DynamicResource> =
                        Box::new(FileResource::new(kind, Arc::clone(&self.settings)));
                    // The server prefixes the provider name: `instance` is `aws_instance`.
                    let name = kind
                        .type_name
                        .strip_prefix("aws_")
                        .unwrap_or(kind.type_name);
                    (name.to_string(), resource)
                })
                .collect(),
        )
    }
}
