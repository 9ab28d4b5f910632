//! `aws_s3_bucket`: a bucket; its id is its name, as in the real provider.

use tf_provider::value::ValueAny;

use super::{ARN, ID, TAGS, TAGS_ALL, generated_name};
use crate::resource::Kind;
use crate::spec::{Mode, Obj, Spec, Ty, attr, default, get_str, string};
use crate::store::Settings;

const SPEC: Spec = Spec {
    attrs: &[
        attr("bucket", Ty::String, Mode::OptionalComputed).force_new(),
        attr("force_destroy", Ty::Bool, Mode::OptionalComputed),
        attr("region", Ty::String, Mode::Computed),
        TAGS,
        TAGS_ALL,
        ID,
        ARN,
    ],
    blocks: &[],
};

pub const KIND: Kind = Kind {
    type_name: "aws_s3_bucket",
    spec: &SPEC,
    plan,
    create,
};

fn plan(obj: &mut Obj, settings: &Settings) {
    default(obj, "force_destroy", ValueAny::Bool(false));
    default(obj, "region", string(&settings.region));
}

fn create(obj: &mut Obj, _settings: &Settings) -> String {
    if !matches!(obj.get("bucket"), Some(ValueAny::String(_))) {
        obj.insert("bucket".into(), string(generated_name()));
    }
    let bucket = get_str(obj, "bucket").unwrap_or_default().to_owned();
    obj.insert("arn".into(), string(format!("arn:aws:s3:::{bucket}")));
    bucket
}
