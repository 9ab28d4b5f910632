//! `aws_ebs_volume`: a standalone EBS volume.

use super::instance::volume_defaults;
use super::{ARN, ID, TAGS, TAGS_ALL};
use crate::resource::Kind;
use crate::spec::{Mode, Obj, Spec, Ty, attr, string};
use crate::store::{Settings, random_hex};

const SPEC: Spec = Spec {
    attrs: &[
        attr("availability_zone", Ty::String, Mode::Required).force_new(),
        attr("size", Ty::Number, Mode::OptionalComputed),
        attr("type", Ty::String, Mode::OptionalComputed),
        attr("iops", Ty::Number, Mode::OptionalComputed),
        attr("throughput", Ty::Number, Mode::OptionalComputed),
        TAGS,
        TAGS_ALL,
        ID,
        ARN,
    ],
    blocks: &[],
};

pub const KIND: Kind = Kind {
    type_name: "aws_ebs_volume",
    spec: &SPEC,
    plan,
    create,
};

fn plan(obj: &mut Obj, _settings: &Settings) {
    volume_defaults(obj, "type", "size");
}

fn create(obj: &mut Obj, settings: &Settings) -> String {
    let id = format!("vol-{}", random_hex(17));
    obj.insert(
        "arn".into(),
        string(settings.arn("ec2", &format!("volume/{id}"))),
    );
    id
}
