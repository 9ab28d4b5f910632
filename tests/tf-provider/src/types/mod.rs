//! The AWS resource types the fake cloud knows, each with the real provider's type and
//! attribute names (a subset), so one plan feeds both drift detection and cost estimates.

mod db_instance;
mod ebs_volume;
mod instance;
mod s3_bucket;
mod secret_version;
mod security_group;

use crate::resource::Kind;
use crate::spec::{Attr, Mode, Ty, attr};
use crate::store::random_hex;

pub const ALL: &[&Kind] = &[
    &instance::KIND,
    &ebs_volume::KIND,
    &db_instance::KIND,
    &s3_bucket::KIND,
    &security_group::KIND,
    &secret_version::KIND,
];

/// `tags`, `tags_all`, `id` and `arn`, which every type here has.
const TAGS: Attr = attr("tags", Ty::StringMap, Mode::Optional);
const TAGS_ALL: Attr = attr("tags_all", Ty::StringMap, Mode::Computed);
const ID: Attr = attr("id", Ty::String, Mode::Computed);
const ARN: Attr = attr("arn", Ty::String, Mode::Computed);

/// A name the real provider would generate when none is configured.
fn generated_name() -> String {
    format!("terraform-{}", random_hex(26))
}
