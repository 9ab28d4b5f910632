//! `aws_security_group`: a list of blocks holding lists, so drift paths like
//! `ingress[0].cidr_blocks[1]` occur.

use super::{ARN, ID, TAGS, TAGS_ALL, generated_name};
use crate::resource::Kind;
use crate::spec::{BlockSpec, Mode, Obj, Spec, Ty, attr, default, string};
use crate::store::{Settings, random_hex};

const INGRESS: Spec = Spec {
    attrs: &[
        attr("from_port", Ty::Number, Mode::Required),
        attr("to_port", Ty::Number, Mode::Required),
        attr("protocol", Ty::String, Mode::Required),
        attr("cidr_blocks", Ty::StringList, Mode::Optional),
        attr("description", Ty::String, Mode::Optional),
    ],
    blocks: &[],
};

const SPEC: Spec = Spec {
    attrs: &[
        attr("name", Ty::String, Mode::OptionalComputed).force_new(),
        attr("description", Ty::String, Mode::OptionalComputed).force_new(),
        TAGS,
        TAGS_ALL,
        ID,
        ARN,
    ],
    blocks: &[BlockSpec {
        name: "ingress",
        max_items: None,
        spec: &INGRESS,
    }],
};

pub const KIND: Kind = Kind {
    type_name: "aws_security_group",
    spec: &SPEC,
    plan,
    create,
};

fn plan(obj: &mut Obj, _settings: &Settings) {
    default(obj, "description", string("Managed by Terraform"));
}

fn create(obj: &mut Obj, settings: &Settings) -> String {
    if !matches!(
        obj.get("name"),
        Some(tf_provider::value::ValueAny::String(_))
    ) {
        obj.insert("name".into(), string(generated_name()));
    }
    let id = format!("sg-{}", random_hex(17));
    obj.insert(
        "arn".into(),
        string(settings.arn("ec2", &format!("security-group/{id}"))),
    );
    id
}
